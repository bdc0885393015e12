/* session_attendance, staff view: the roll call of one lesson (marks, the history of a mark,
   the rotating check-in code, the meeting reports kept as evidence). */
(function (root) {
  "use strict";
  var parts = root.VNOTAttendanceParts = root.VNOTAttendanceParts || {};
  var el = function (tag, attrs, text) { return VNOT.el(tag, attrs, text); };

  parts.roll = function (ctx, logbook) {
    var box = ctx.box, panel = ctx.panel, args = ctx.args, labels = ctx.labels;
    var msg = box.querySelector(".vnot-att-roll-msg");
    var state = {lesson: null, timer: null};

    function changed(tr) { tr.setAttribute("data-changed", "1"); }

    function row(r, i, editable, hybrid) {
      var tr = el("tr", {"data-user": r.user});
      tr.appendChild(el("td", {}, String(i + 1)));
      var who = el("td", {}, r.full_name);
      if (!r.on_roster) { who.appendChild(el("small", {}, VNOT.t("Not on the class roster"))); }
      if (r.checked_in_at) { who.appendChild(el("small", {}, VNOT.fill(VNOT.t("Checked in at {time}"), {time: r.checked_in_at}))); }
      if (r.minutes !== null) { who.appendChild(el("small", {}, VNOT.fill(VNOT.t("{minutes} min"), {minutes: r.minutes_display}))); }
      tr.appendChild(who);
      var st = el("td"), loc = el("td", {"class": "vnot-att-loc"}), rem = el("td");
      loc.hidden = !hybrid;
      if (editable) {
        var s = VNOT.select(args.statuses, r.status, "status", r.full_name); s.addEventListener("change", function () { changed(tr); }); st.appendChild(s);
        var l = VNOT.select(ctx.places, r.location, "location", r.full_name); l.addEventListener("change", function () { changed(tr); }); loc.appendChild(l);
        var input = el("input", {name: "remark", maxlength: "500", value: r.remark, placeholder: VNOT.t("Remark"), "aria-label": r.full_name});
        input.addEventListener("input", function () { changed(tr); }); rem.appendChild(input);
      } else {
        st.appendChild(el("span", {"class": "vnot-att-badge vnot-att-" + (r.status || "unmarked")}, labels[r.status]));
        loc.textContent = ctx.placeLabel(r.location);
        rem.textContent = r.remark;
      }
      if (r.source) { st.appendChild(el("small", {}, ctx.sources[r.source] || r.source)); }
      tr.appendChild(st); tr.appendChild(loc); tr.appendChild(rem);
      var h = el("td"), hb = el("button", {type: "button", "class": "vnot-btn vnot-small"}, VNOT.t("History"));
      hb.disabled = !r.changes;
      hb.addEventListener("click", function () { history(r); });
      h.appendChild(hb); tr.appendChild(h);
      return tr;
    }

    function draw(data) {
      var lesson = data.lesson;
      var hybrid = lesson.mode === "hybrid";
      box.querySelector(".vnot-att-roll-title").textContent = VNOT.t("Roll call") + " — " + lesson.weekday + " " + lesson.date_display +
        " · " + lesson.start + "–" + lesson.end + (lesson.title ? " · " + lesson.title : "");
      box.querySelectorAll(".vnot-att-item").forEach(function (li) {
        li.classList.toggle("vnot-att-current", li.getAttribute("data-lesson") === String(lesson.id));
      });
      var c = data.counts;
      box.querySelector(".vnot-att-counts").textContent = VNOT.fill(VNOT.t("Present {n} of {total}"), {n: c.present + c.late, total: data.total}) +
        " · " + labels.late + ": " + c.late + " · " + labels.excused + ": " + c.excused + " · " + labels.unexcused + ": " + c.unexcused +
        " · " + labels[""] + ": " + c[""];
      box.querySelectorAll(".vnot-att-loc").forEach(function (th) { th.hidden = !hybrid; });
      var editable = args.canManage && !lesson.cancelled;
      var tbody = panel.querySelector(".vnot-att-roll > .vnot-att-scroll tbody");
      tbody.textContent = "";
      data.rows.forEach(function (r, i) { tbody.appendChild(row(r, i, editable, hybrid)); });
      drawCode(data.code);
      drawReports(data.reports || []);
      box.querySelector(".vnot-att-history").hidden = true;
      panel.querySelectorAll(".vnot-att-bulk, [data-act=save], .vnot-att-import").forEach(function (n) { n.hidden = !editable; });
    }

    function drawReports(reports) {
      var wrap = box.querySelector(".vnot-att-reports"), ul = wrap.querySelector("ul");
      ul.textContent = ""; wrap.hidden = !reports.length;
      reports.forEach(function (r) {
        var li = el("li"); li.appendChild(el("a", {href: args.reportUrl.replace("REPORT", String(r.id))}, r.name));
        li.appendChild(document.createTextNode(" · " + r.format + " · " + r.uploaded_at)); ul.appendChild(li);
      });
    }

    /* The code the teacher shows the class; a new one is asked for when it runs out. */
    function drawCode(code) {
      var wrap = box.querySelector(".vnot-att-code");
      if (state.timer) { clearInterval(state.timer); state.timer = null; }
      if (!wrap) { return; }
      wrap.hidden = !code;
      if (!code) { return; }
      var left = code.seconds_left;
      var show = function () {
        wrap.querySelector(".vnot-att-code-value").textContent = code.code;
        wrap.querySelector(".vnot-att-code-left").textContent = VNOT.fill(VNOT.t("New code in {seconds} s"), {seconds: left});
      };
      show();
      state.timer = setInterval(function () {
        left -= 1;
        if (left > 0) { show(); return; }
        clearInterval(state.timer); state.timer = null;
        VNOT.post(ctx.urls.code, {lesson: state.lesson}).then(drawCode, function () { wrap.hidden = true; });
      }, 1000);
    }

    function open(id) {
      state.lesson = id; panel.hidden = false; VNOT.say(msg, "");
      logbook.load(id);
      return VNOT.post(ctx.urls.roll_call, {lesson: id}).then(function (data) {
        draw(data); box.querySelector(".vnot-att-roll-title").focus();
      }, VNOT.onError(msg));
    }

    /* After marks were recorded: the roll drawn again, and how many marks changed, in `where`. */
    function marked(where) {
      return function (res) {
        return open(state.lesson).then(function () { VNOT.say(where, VNOT.fill(VNOT.t("Marked: {n}."), {n: res.changed}), "vnot-ok"); });
      };
    }

    function history(r) {
      var hist = box.querySelector(".vnot-att-history");
      VNOT.post(ctx.urls.history, {lesson: state.lesson, user: r.user}).then(function (res) {
        hist.textContent = ""; hist.hidden = false;
        hist.appendChild(el("strong", {}, VNOT.t("History of this mark") + ": " + r.full_name));
        if (!res.history.length) { hist.appendChild(el("p", {}, VNOT.t("No change yet."))); return; }
        var ol = el("ol");
        res.history.forEach(function (c) {
          var text = c.at + " · " + c.by + " (" + (ctx.sources[c.source] || c.source) + "): " + labels[c.before.status] + " → " + labels[c.after.status];
          if (c.before.remark !== c.after.remark) { text += " · “" + c.after.remark + "”"; }
          if (c.before.location !== c.after.location) { text += " · " + ctx.placeLabel(c.after.location); }
          if (c.device || c.ip) { text += " · " + [c.device, c.ip].filter(function (x) { return x; }).join(" · "); }
          ol.appendChild(el("li", {}, text));
        });
        hist.appendChild(ol);
      }, VNOT.onError(msg));
    }

    function save() {
      var marks = [];
      panel.querySelectorAll("tr[data-changed]").forEach(function (tr) {
        var mark = {user: tr.getAttribute("data-user")};
        ["status", "location", "remark"].forEach(function (k) { var f = tr.querySelector("[name=" + k + "]"); if (f) { mark[k] = f.value; } });
        marks.push(mark);
      });
      if (!marks.length) { VNOT.say(msg, VNOT.t("Nothing to save.")); return; }
      VNOT.say(msg, VNOT.t("Saving…"));
      VNOT.post(ctx.urls.mark, {lesson: state.lesson, marks: marks}).then(marked(msg), VNOT.onError(msg));
    }

    function bulk() {
      var status = panel.querySelector("select[name=bulk]").value;
      VNOT.post(ctx.urls.mark_unmarked, {lesson: state.lesson, status: status}).then(marked(msg), VNOT.onError(msg));
    }

    panel.querySelectorAll("[data-act=save]").forEach(function (b) { b.addEventListener("click", save); });
    panel.querySelectorAll("[data-act=bulk]").forEach(function (b) { b.addEventListener("click", bulk); });
    return {open: open, marked: marked, lesson: function () { return state.lesson; }};
  };
}(window));
