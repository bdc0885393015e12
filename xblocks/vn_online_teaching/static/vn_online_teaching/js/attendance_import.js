/* session_attendance, staff view: a meeting report (Zoom, Teams, Google Meet) imported into the
   open lesson: upload → preview → the teacher confirms the ticked rows. Nothing is marked before
   the confirmation; matching and the suggested statuses are the server's. */
(function (root) {
  "use strict";
  var parts = root.VNOTAttendanceParts = root.VNOTAttendanceParts || {};
  var el = function (tag, attrs, text) { return VNOT.el(tag, attrs, text); };

  parts.importer = function (ctx, roll) {
    var panel = ctx.panel;
    var msg = ctx.box.querySelector(".vnot-att-import-msg");
    var preview = null;

    function upload() {
      var input = panel.querySelector("input[name=report]");
      if (!input.files.length) { VNOT.say(msg, VNOT.t("Choose a file."), "vnot-error"); return; }
      var data = new FormData();
      data.append("file", input.files[0]); data.append("lesson", String(roll.lesson()));
      data.append("format", panel.querySelector("select[name=format]").value);
      VNOT.upload(ctx.urls.import_report, data, msg).then(function (answer) { VNOT.say(msg, ""); draw(answer); }, VNOT.onError(msg));
    }

    function person(p, roster) {
      var tr = el("tr", {"data-person": String(p.i)});
      var tick = el("input", {type: "checkbox", name: "apply", "aria-label": p.name});
      tick.checked = !!(p.in_report && p.username && p.suggested);
      tr.appendChild(el("td")).appendChild(tick);
      var who = el("td", {}, p.in_report ? p.name : "—");
      if (p.email) { who.appendChild(el("small", {}, p.email)); }
      // The meeting's host (usually the teacher) is not a student: no status is offered for
      // them unless the teacher picks a student for the row.
      var host = !!p.role && !p.username;
      if (!p.in_report) { who.appendChild(el("small", {}, VNOT.t("Not in the report"))); }
      else if (host) { who.appendChild(el("small", {}, VNOT.t("Host of the meeting"))); }
      else if (!p.username) { who.appendChild(el("small", {}, VNOT.t("Not matched"))); }
      tr.appendChild(who);
      tr.appendChild(el("td", {}, p.minutes === null ? "—" : VNOT.fill(VNOT.t("{minutes} min"), {minutes: p.minutes_display})));
      var candidates = p.candidates || [];
      var options = roster.slice().sort(function (a, b) { return (candidates.indexOf(b[0]) >= 0) - (candidates.indexOf(a[0]) >= 0); });
      var student = VNOT.select(options, p.username || "", "username", p.name);
      var status = VNOT.select([["", "—"]].concat(ctx.statusOptions), host ? "" : p.suggested || "", "status", p.name);
      var retick = function () { tick.checked = !!student.value && !!status.value; };
      student.addEventListener("change", retick); status.addEventListener("change", retick);
      tr.appendChild(el("td")).appendChild(student);
      tr.appendChild(el("td")).appendChild(status);
      tr.appendChild(el("td", {}, p.username ? ctx.labels[p.current || ""] : ""));
      return tr;
    }

    function draw(answer) {
      preview = answer;
      var wrap = panel.querySelector(".vnot-att-preview"), tbody = wrap.querySelector("tbody");
      tbody.textContent = ""; wrap.hidden = false;
      var roster = [["", VNOT.t("Choose a student")]].concat(answer.roster.map(function (s) { return [s.username, s.full_name]; }));
      answer.people.forEach(function (p) { tbody.appendChild(person(p, roster)); });
    }

    function confirm() {
      var rows = [];
      panel.querySelectorAll(".vnot-att-preview tr[data-person]").forEach(function (tr) {
        if (!tr.querySelector("input[name=apply]").checked) { return; }
        rows.push({person: parseInt(tr.getAttribute("data-person"), 10), username: tr.querySelector("select[name=username]").value,
                   status: tr.querySelector("select[name=status]").value});
      });
      if (!rows.length) { VNOT.say(msg, VNOT.t("Nothing to save.")); return; }
      VNOT.say(msg, VNOT.t("Saving…"));
      VNOT.post(ctx.urls.import_confirm, {lesson: roll.lesson(), report: preview.report, rows: rows}).then(function (res) {
        panel.querySelector(".vnot-att-preview").hidden = true;
        return roll.marked(msg)(res);
      }, VNOT.onError(msg));
    }

    panel.querySelectorAll("[data-act=upload]").forEach(function (b) { b.addEventListener("click", upload); });
    panel.querySelectorAll("[data-act=confirm]").forEach(function (b) { b.addEventListener("click", confirm); });
  };
}(window));
