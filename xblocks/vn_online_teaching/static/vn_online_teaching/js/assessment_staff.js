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

  /* numbers as the reader writes them (6,3 in Vietnamese); a score with essays still to mark is
     not a score yet */
  function num(x) { return x === null || x === undefined ? "" : String(x).replace(".", (board && board.decimal_mark) || "."); }
  function scoreOf(r) { return r.unmarked ? VNOT.t("Essays to mark") : num(r.score); }
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
      [r.full_name, r.state_label + (r.progress ? " · " + r.progress : "") + (r.disconnected ? " · " + VNOT.t("Disconnected") : "") +
       (r.time_up ? " · " + VNOT.t("Time is up") : ""),
       r.deadline_display || "", r.extra_minutes ? String(r.extra_minutes) : "", events ? String(events) : "",
       scoreOf(r)].forEach(function (text, i) {
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
    /* the answer beside the guide on a wide screen, the answer first on a phone */
    var side = VNOT.el("div", {"class": "vnot-asm-side"}), answer = VNOT.el("div", {"class": "vnot-asm-side-answer"});
    var guide = VNOT.el("div", {"class": "vnot-asm-side-guide"});
    answer.appendChild(VNOT.el("p", {"class": "vnot-asm-guide-title"}, VNOT.t("Student's answer")));
    answer.appendChild(VNOT.el("div", {"class": "vnot-asm-answer"}, e.response || VNOT.t("No answer")));
    guide.appendChild(VNOT.el("p", {"class": "vnot-asm-guide-title"}, VNOT.t("Marking guide")));
    guide.appendChild(rich(e.guide));
    side.appendChild(answer); side.appendChild(guide); box.appendChild(side);
    var mark = VNOT.el("input", {name: "mark", inputmode: "decimal", maxlength: "8", "class": "vnot-asm-mark",
                                 value: num(e.mark)});
    var label = VNOT.el("label", {"class": "vnot-asm-mark-label"}, VNOT.fill(VNOT.t("Mark (at most {points})"), {points: e.points}));
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
        VNOT.say(m, VNOT.fill(VNOT.t("Saved. Score: {score}"), {score: res.unmarked && res.unmarked.length ? VNOT.t("Essays to mark") : num(res.score)}), "vnot-ok"); refresh();
      }, VNOT.onError(m));
    });
    return box;
  }
  /* A corrected answer key: the question as the students saw it, its key in force, a new key
     and a reason; the answer says how many attempts were scored again. */
  var keyfix = q(".vnot-asm-keyfix"), keys = [];
  var FORMATS = {mcq: VNOT.t("Multiple choice"), true_false: VNOT.t("True/false"), "short": VNOT.t("Short answer")};
  function keyEditor(k) {
    var qbox = q(".vnot-asm-keyq"), edit = q(".vnot-asm-keyedit");
    qbox.textContent = ""; edit.textContent = "";
    if (!k) { return; }
    qbox.appendChild(rich(k.stem));
    if (k.corrected) { qbox.appendChild(VNOT.el("p", {"class": "vnot-note"}, VNOT.t("This key was corrected before."))); }
    qbox.appendChild(VNOT.el("p", {"class": "vnot-note"}, VNOT.fill(VNOT.t("Ended attempts with this question: {count}"), {count: k.ended})));
    if (k.format === "mcq") {
      k.options.forEach(function (html, i) {
        var letter = "ABCD".charAt(i), label = VNOT.el("label", {"class": "vnot-asm-choice"});
        var input = VNOT.el("input", {type: "radio", name: "answer", value: letter});
        input.checked = k.key.answer === letter;
        label.appendChild(input); label.appendChild(VNOT.el("strong", {}, letter + ".")); label.appendChild(rich(html));
        edit.appendChild(label);
      });
    } else if (k.format === "true_false") {
      k.statements.forEach(function (html, i) {
        var row = VNOT.el("div", {"class": "vnot-asm-statement"});
        row.appendChild(VNOT.el("strong", {}, "abcd".charAt(i) + ") ")); row.appendChild(rich(html));
        [[true, VNOT.t("True")], [false, VNOT.t("False")]].forEach(function (v) {
          var label = VNOT.el("label", {"class": "vnot-asm-tf"});
          var input = VNOT.el("input", {type: "radio", name: "tf" + i, value: String(v[0])});
          input.checked = (k.key.answers || [])[i] === v[0];
          label.appendChild(input); label.appendChild(document.createTextNode(v[1])); row.appendChild(label);
        });
        edit.appendChild(row);
      });
    } else if (k.key.kind === "number") {
      var n = VNOT.el("label", {}, VNOT.t("Right value")); n.appendChild(VNOT.el("input", {name: "number", inputmode: "decimal", value: k.key.number || ""}));
      var t = VNOT.el("label", {}, VNOT.t("Tolerance")); t.appendChild(VNOT.el("input", {name: "tolerance", inputmode: "decimal", value: k.key.tolerance || "0"}));
      edit.appendChild(n); edit.appendChild(t);
    } else {
      var a = VNOT.el("label", {}, VNOT.t("Accepted answers (one per line)"));
      var area = VNOT.el("textarea", {name: "texts", rows: "3"}); area.value = (k.key.texts || []).join("\n");
      a.appendChild(area); edit.appendChild(a);
      var d = VNOT.el("label", {"class": "vnot-asm-check"}), box = VNOT.el("input", {type: "checkbox", name: "ignore_diacritics"});
      box.checked = !!k.key.ignore_diacritics; d.appendChild(box);
      d.appendChild(document.createTextNode(" " + VNOT.t("Also accept answers without diacritics"))); edit.appendChild(d);
    }
  }
  function keyData(form, k) {
    var data = {question: k.id, reason: form.elements.reason.value}, edit = q(".vnot-asm-keyedit");
    if (k.format === "mcq") {
      var picked = edit.querySelector("input[name=answer]:checked"); data.answer = picked ? picked.value : "";
    } else if (k.format === "true_false") {
      data.answers = k.statements.map(function (_s, i) {
        var picked = edit.querySelector("input[name=tf" + i + "]:checked"); return picked ? picked.value === "true" : null;
      });
    } else if (k.key.kind === "number") {
      data.kind = "number"; data.number = edit.querySelector("[name=number]").value.trim();
      data.tolerance = edit.querySelector("[name=tolerance]").value.trim();
    } else {
      data.kind = "text"; data.ignore_diacritics = edit.querySelector("[name=ignore_diacritics]").checked;
      data.texts = edit.querySelector("[name=texts]").value.split("\n").map(function (x) { return x.trim(); }).filter(Boolean);
    }
    return data;
  }
  if (keyfix) {
    var keyform = q(".vnot-asm-keyform"), pickq = keyform.elements.question, km = keyform.querySelector(".vnot-msg");
    var chosen = function () { return keys.filter(function (k) { return k.id === pickq.value; })[0]; };
    var loadKeys = function (quiet) {
      VNOT.post(urls.answer_keys, {}).then(function (res) {
        var was = pickq.value; keys = res.questions; pickq.textContent = "";
        keys.forEach(function (k) {
          var text = new DOMParser().parseFromString(k.stem, "text/html").body.textContent.trim();  /* papers number questions differently: the stem says which */
          var o = VNOT.el("option", {value: k.id}, (FORMATS[k.format] || k.format) + " · " + (text.length > 70 ? text.slice(0, 70) + "…" : text));
          o.selected = k.id === was; pickq.appendChild(o);
        });
        keyEditor(chosen());
        if (!quiet) { VNOT.say(km, keys.length ? "" : VNOT.t("No student has been given a paper yet.")); }
      }, VNOT.onError(km));
    };
    keyfix.addEventListener("toggle", function () { if (keyfix.open) { loadKeys(false); } });
    pickq.addEventListener("change", function () { keyEditor(chosen()); });
    keyform.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var k = chosen(); if (!k) { return; }
      VNOT.say(km, VNOT.t("Saving…"));
      VNOT.post(urls.correct_key, keyData(keyform, k)).then(function (res) {
        VNOT.say(km, VNOT.fill(VNOT.t("Key corrected. Attempts scored again: {rescored}; scores changed: {changed}."),
                              {rescored: res.rescored, changed: res.changed}), "vnot-ok");
        keyform.elements.reason.value = ""; loadKeys(true); refresh();
      }, VNOT.onError(km));
    });
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
