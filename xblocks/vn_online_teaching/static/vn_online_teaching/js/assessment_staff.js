/* periodic_assessment, the sitting board: every student's state, refreshed every 15 seconds
   without reloading the page, and the board's actions, each with its reason. */
function VNOTAssessmentStaff(runtime, element, args) {
  "use strict";
  var root = VNOT.rootOf(element), urls = args.urls, q = function (s) { return root.querySelector(s); };
  var REFRESH_MS = 15000, board = args.board;
  if (!board) { return; }
  var GROUPS = [["not_started", VNOT.t("Not started")], ["working", VNOT.t("Working")],
                ["handed_in", VNOT.t("Handed in")], ["finalised", VNOT.t("Finalised by the deadline")],
                ["disconnected", VNOT.t("Disconnected")]];

  function group(row) {
    if (row.state === "not_started") { return "not_started"; }
    if (row.disconnected) { return "disconnected"; }
    if (row.state === "in_progress" || row.state === "reopened") { return "working"; }
    if (row.state === "finalised_by_deadline") { return "finalised"; }
    return "handed_in";
  }
  function draw(data) {
    board = data;
    q(".vnot-asm-window-text").textContent = data.window.label + " · " + data.window.opens_display + " – " +
      data.window.closes_display + " · " + data.mode_label;
    q(".vnot-asm-updated").textContent = VNOT.fill(VNOT.t("Updated at {time}"), {time: new Date().toLocaleTimeString("vi-VN")});
    var counts = {};
    data.students.forEach(function (r) { var g = group(r); counts[g] = (counts[g] || 0) + 1; });
    var cbox = q(".vnot-asm-counts"); cbox.textContent = "";
    GROUPS.forEach(function (g) {
      cbox.appendChild(VNOT.el("span", {"class": "vnot-asm-count vnot-asm-g-" + g[0]}, g[1] + ": " + (counts[g[0]] || 0)));
    });
    var body = q(".vnot-asm-board tbody"), heads = root.querySelectorAll(".vnot-asm-board th");
    body.textContent = "";
    data.students.forEach(function (r) {
      var tr = VNOT.el("tr", {"class": "vnot-asm-g-" + group(r)});
      var events = Object.keys(r.events || {}).reduce(function (n, k) { return n + r.events[k]; }, 0);
      [r.full_name, r.state_label + (r.disconnected ? " · " + VNOT.t("Disconnected") : "") + (r.time_up ? " · " + VNOT.t("Time is up") : ""),
       r.deadline_display || "", r.extra_minutes ? String(r.extra_minutes) : "", events ? String(events) : "",
       r.score === null || r.score === undefined ? "" : String(r.score)].forEach(function (text, i) {
        tr.appendChild(VNOT.el("td", {"data-label": i && text ? heads[i].textContent + ": " : ""}, text));
      });
      body.appendChild(tr);
    });
    var select = root.querySelector(".vnot-asm-act select[name=student]");
    if (select) {
      var chosen = select.value; select.textContent = "";
      data.students.forEach(function (r) {
        var o = VNOT.el("option", {value: r.user}, r.full_name); o.selected = r.user === chosen; select.appendChild(o);
      });
    }
    var pick = q(".vnot-asm-decide-students");
    if (pick && !pick.children.length) {
      data.students.forEach(function (r) {
        var label = VNOT.el("label", {"class": "vnot-asm-check"});
        label.appendChild(VNOT.el("input", {type: "checkbox", value: r.user}));
        label.appendChild(document.createTextNode(" " + r.full_name)); pick.appendChild(label);
      });
    }
  }
  function refresh() {
    VNOT.post(urls.board, {}, 1).then(draw, function () { /* the next refresh tries again */ });
  }
  draw(board);
  setInterval(refresh, REFRESH_MS);

  var act = q(".vnot-asm-act");
  if (act) {
    var fields = function () {
      var kind = act.elements.action.value;
      act.querySelector(".vnot-asm-f-student").hidden = kind.indexOf("window:") === 0;
      act.querySelector(".vnot-asm-f-minutes").hidden = kind !== "extra_time" && kind !== "reopen";
      act.querySelector(".vnot-asm-f-until").hidden = kind !== "window:extend";
    };
    act.elements.action.addEventListener("change", fields); fields();
    act.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = act.elements, kind = f.action.value, m = act.querySelector(".vnot-msg"), url, data;
      if (kind.indexOf("window:") === 0) {
        url = urls.window;
        data = {kind: kind.slice(7), reason: f.reason.value};
        if (f.until_date.value) { data.until_date = f.until_date.value; }
        if (f.until_time.value) { data.until_time = f.until_time.value; }
      } else {
        url = urls[kind]; data = {student: f.student.value, reason: f.reason.value};
        if (kind !== "release") { data.minutes = parseInt(f.minutes.value, 10) || 0; }
      }
      VNOT.say(m, VNOT.t("Saving…"));
      VNOT.post(url, data).then(function () {
        VNOT.say(m, VNOT.t("Done."), "vnot-ok"); f.reason.value = ""; refresh();
      }, VNOT.onError(m));
    });
  }
  var decide = q(".vnot-asm-decide");
  if (decide) {
    decide.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var m = decide.querySelector(".vnot-msg");
      var students = Array.prototype.map.call(decide.querySelectorAll("input[type=checkbox]:checked"), function (c) { return c.value; });
      VNOT.post(urls.decide_remote, {reason: decide.elements.reason.value, students: students}).then(function () {
        VNOT.say(m, VNOT.t("Done."), "vnot-ok"); refresh();
      }, VNOT.onError(m));
    });
  }
  var publish = q(".vnot-asm-publish");
  if (publish) {
    publish.addEventListener("click", function () {
      var m = q(".vnot-asm-publish-msg");
      if (!window.confirm(VNOT.t("Release the results to the students?"))) { return; }
      VNOT.post(urls.publish, {}).then(function (res) {
        VNOT.say(m, VNOT.fill(VNOT.t("Results released: {count}"), {count: res.released}), "vnot-ok"); refresh();
      }, VNOT.onError(m));
    });
  }

  /* Essays: each with its guide, the student's answer and a mark in the school's steps. */
  var marking = q(".vnot-asm-marking");
  function rich(html) { var d = VNOT.el("div", {"class": "vnot-asm-rich"}); d.innerHTML = html; return d; }
  function essayForm(e) {
    var box = VNOT.el("form", {"class": "vnot-form vnot-asm-essay"});
    box.appendChild(VNOT.el("h4", {}, e.full_name + " · " + VNOT.fill(VNOT.t("Question {n}"), {n: e.number}) + " · " + VNOT.t("Essay")));
    box.appendChild(rich(e.stem));
    box.appendChild(VNOT.el("p", {"class": "vnot-asm-guide-title"}, VNOT.t("Marking guide")));
    box.appendChild(rich(e.guide));
    box.appendChild(VNOT.el("p", {"class": "vnot-asm-guide-title"}, VNOT.t("Answer")));
    box.appendChild(VNOT.el("div", {"class": "vnot-asm-answer"}, e.response || VNOT.t("No answer")));
    var mark = VNOT.el("input", {name: "mark", inputmode: "decimal", maxlength: "8", value: e.mark === null || e.mark === undefined ? "" : String(e.mark)});
    var label = VNOT.el("label", {}, VNOT.fill(VNOT.t("Mark (at most {points})"), {points: e.points}));
    label.appendChild(mark); box.appendChild(label);
    var reason = VNOT.el("textarea", {name: "reason", rows: "2", maxlength: "2000"});
    if (e.published) {
      var rl = VNOT.el("label", {}, VNOT.t("Reason")); rl.appendChild(reason); box.appendChild(rl);
    }
    var m = VNOT.el("p", {"class": "vnot-msg", role: "status"});
    box.appendChild(VNOT.el("button", {type: "submit", "class": "vnot-btn vnot-primary"}, VNOT.t("Save the mark")));
    box.appendChild(m);
    box.addEventListener("submit", function (ev) {
      ev.preventDefault();
      VNOT.say(m, VNOT.t("Saving…"));
      VNOT.post(urls.mark_essay, {student: e.user, position: e.position, mark: mark.value.trim().replace(",", "."),
                                  reason: reason.value}).then(function (res) {
        VNOT.say(m, VNOT.fill(VNOT.t("Saved. Score: {score}"), {score: res.score}), "vnot-ok"); refresh();
      }, VNOT.onError(m));
    });
    return box;
  }
  if (marking) {
    marking.addEventListener("toggle", function () {
      if (!marking.open) { return; }
      var list = q(".vnot-asm-essays"), m = q(".vnot-asm-marking-msg");
      VNOT.post(urls.essays, {}).then(function (res) {
        list.textContent = "";
        res.essays.forEach(function (e) { list.appendChild(essayForm(e)); });
        VNOT.say(m, res.essays.length ? "" : VNOT.t("No essays to mark yet."));
      }, VNOT.onError(m));
    });
  }
}
