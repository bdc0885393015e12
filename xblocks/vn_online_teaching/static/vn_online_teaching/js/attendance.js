/* session_attendance: the student's check-in, the teacher's roll call (lessons, marks, history,
   rotating code, meeting-report import) and the Studio settings. Every decision is the server's;
   this file only sends what the person chose and shows the answer. */
(function (root) {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") { node.className = attrs[k]; } else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function say(node, text, cls) { if (node) { node.textContent = text || ""; node.className = node.className.replace(/ vnot-(error|ok)/g, "") + (cls ? " " + cls : ""); } }
  function rootOf(element) { return element.jquery ? element[0] : element; }
  function select(options, value, name, label) {
    var s = el("select", {name: name, "aria-label": label});
    options.forEach(function (o) { var opt = el("option", {value: o[0]}, o[1]); if (o[0] === value) { opt.selected = true; } s.appendChild(opt); });
    return s;
  }
  function reload(node) { setTimeout(function () { node.ownerDocument.location.reload(); }, 500); }

  /* Student: check in to the lesson now open. */
  root.VNOTAttendance = function (runtime, element, args) {
    var box = rootOf(element);
    VNOT.addStrings(args.strings || {});
    var form = box.querySelector(".vnot-att-checkin");
    if (!form) { return; }
    var lesson = parseInt(box.querySelector(".vnot-att-next").getAttribute("data-lesson"), 10);
    var msg = form.querySelector(".vnot-msg");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var code = form.querySelector("input[name=code]");
      var button = form.querySelector("button");
      button.disabled = true; say(msg, VNOT.t("Saving…"));
      VNOT.post(args.checkInUrl, {lesson: lesson, code: code ? code.value : ""}).then(function (res) {
        say(msg, VNOT.t("Checked in.") + " " + res.status_label, "vnot-ok");
        reload(box);
      }, function (err) {
        say(msg, err.message, "vnot-error"); button.disabled = false;
        /* A refused code is cleared for the next try; after a dropped connection it stays. */
        if (code && !err.offline) { code.value = ""; }
        if (code) { code.focus(); }
      });
    });
  };

  /* Staff: lessons, roll call, history, code, import. */
  root.VNOTAttendanceStaff = function (runtime, element, args) {
    var box = rootOf(element);
    VNOT.addStrings(args.strings || {});
    var urls = args.urls;
    var labels = {}; args.statuses.forEach(function (s) { labels[s[0]] = s[1]; });
    var sources = {}; args.sources.forEach(function (s) { sources[s[0]] = s[1]; });
    var places = [["", "—"]].concat(args.locations);
    var statusOptions = args.statuses.filter(function (s) { return s[0] !== ""; });
    var panel = box.querySelector(".vnot-att-roll");
    var rollMsg = box.querySelector(".vnot-att-roll-msg");
    var state = {lesson: null, rows: [], timer: null, preview: null};

    function markChanged(tr) { tr.setAttribute("data-changed", "1"); }

    function drawRoll(data) {
      state.rows = data.rows;
      var lesson = data.lesson;
      var hybrid = lesson.mode === "hybrid";
      var title = box.querySelector(".vnot-att-roll-title");
      title.textContent = VNOT.t("Roll call") + " — " + lesson.weekday + " " + lesson.date_display + " · " + lesson.start + "–" + lesson.end +
        (lesson.title ? " · " + lesson.title : "");
      box.querySelectorAll(".vnot-att-item").forEach(function (li) {
        li.classList.toggle("vnot-att-current", li.getAttribute("data-lesson") === String(lesson.id));
      });
      var c = data.counts;
      box.querySelector(".vnot-att-counts").textContent = fill(VNOT.t("Present {n} of {total}"), {n: c.present + c.late, total: data.total}) +
        " · " + labels.late + ": " + c.late + " · " + labels.excused + ": " + c.excused + " · " + labels.unexcused + ": " + c.unexcused + " · " + labels[""] + ": " + c[""];
      box.querySelectorAll(".vnot-att-loc").forEach(function (th) { th.hidden = !hybrid; });
      var editable = args.canManage && !lesson.cancelled;
      var tbody = panel.querySelector(".vnot-att-roll > .vnot-att-scroll tbody");
      tbody.textContent = "";
      data.rows.forEach(function (r, i) {
        var tr = el("tr", {"data-user": r.user});
        tr.appendChild(el("td", {}, String(i + 1)));
        var who = el("td", {}, r.full_name);
        if (!r.on_roster) { who.appendChild(el("small", {}, VNOT.t("Not on the class roster"))); }
        if (r.checked_in_at) { who.appendChild(el("small", {}, fill(VNOT.t("Checked in at {time}"), {time: r.checked_in_at}))); }
        if (r.minutes !== null) { who.appendChild(el("small", {}, fill(VNOT.t("{minutes} min"), {minutes: r.minutes_display}))); }
        tr.appendChild(who);
        var st = el("td"), loc = el("td", {"class": "vnot-att-loc"}), rem = el("td");
        loc.hidden = !hybrid;
        if (editable) {
          var s = select(args.statuses, r.status, "status", r.full_name); s.addEventListener("change", function () { markChanged(tr); }); st.appendChild(s);
          var l = select(places, r.location, "location", r.full_name); l.addEventListener("change", function () { markChanged(tr); }); loc.appendChild(l);
          var input = el("input", {name: "remark", maxlength: "500", value: r.remark, placeholder: VNOT.t("Remark"), "aria-label": r.full_name});
          input.addEventListener("input", function () { markChanged(tr); }); rem.appendChild(input);
        } else {
          st.appendChild(el("span", {"class": "vnot-att-badge vnot-att-" + (r.status || "unmarked")}, labels[r.status]));
          loc.textContent = (places.filter(function (p) { return p[0] === r.location; })[0] || ["", ""])[1];
          rem.textContent = r.remark;
        }
        if (r.source) { st.appendChild(el("small", {}, sources[r.source] || r.source)); }
        tr.appendChild(st); tr.appendChild(loc); tr.appendChild(rem);
        var h = el("td"), hb = el("button", {type: "button", "class": "vnot-btn vnot-small"}, VNOT.t("History"));
        hb.disabled = !r.changes;
        hb.addEventListener("click", function () { history(r); });
        h.appendChild(hb); tr.appendChild(h);
        tbody.appendChild(tr);
      });
      drawCode(data.code);
      drawReports(data.reports || []);
      var hist = box.querySelector(".vnot-att-history"); hist.hidden = true;
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

    function drawCode(code) {
      var wrap = box.querySelector(".vnot-att-code");
      if (state.timer) { clearInterval(state.timer); state.timer = null; }
      if (!wrap) { return; }
      wrap.hidden = !code;
      if (!code) { return; }
      var left = code.seconds_left;
      var show = function () {
        wrap.querySelector(".vnot-att-code-value").textContent = code.code;
        wrap.querySelector(".vnot-att-code-left").textContent = fill(VNOT.t("New code in {seconds} s"), {seconds: left});
      };
      show();
      state.timer = setInterval(function () {
        left -= 1;
        if (left > 0) { show(); return; }
        clearInterval(state.timer); state.timer = null;
        VNOT.post(urls.code, {lesson: state.lesson}).then(drawCode, function () { wrap.hidden = true; });
      }, 1000);
    }

    function openRoll(id) {
      state.lesson = id; panel.hidden = false; say(rollMsg, "");
      loadLogbook(id);
      return VNOT.post(urls.roll_call, {lesson: id}).then(function (data) {
        drawRoll(data); box.querySelector(".vnot-att-roll-title").focus();
      }, function (err) { say(rollMsg, err.message, "vnot-error"); });
    }

    /* The logbook line of the open lesson; what the teacher types is kept on the device until saved. */
    var lb = panel.querySelector(".vnot-att-logbook");
    var lbMsg = lb.querySelector(".vnot-att-logbook-msg");
    function draftKey(k) { return "vnot-logbook-" + state.lesson + "-" + k; }
    function draft(k, value) {
      try {
        if (value === undefined) { return root.localStorage.getItem(draftKey(k)); }
        if (value === null) { root.localStorage.removeItem(draftKey(k)); } else { root.localStorage.setItem(draftKey(k), value); }
      } catch (e) { /* storage may be disabled */ }
      return null;
    }
    ["content", "remarks"].forEach(function (k) {
      lb.querySelector("[name=lb_" + k + "]").addEventListener("input", function (e) { draft(k, e.target.value); });
    });
    function drawLogbook(entry, fromServer) {
      ["content", "remarks"].forEach(function (k) {
        var kept = fromServer ? null : draft(k);
        lb.querySelector("[name=lb_" + k + "]").value = kept !== null ? kept : (entry[k] || "");
      });
      lb.querySelector("[name=lb_rating]").value = entry.rating || "";
      lb.querySelector(".vnot-att-logbook-state").textContent = entry.confirmed ?
        "✓ " + entry.confirmed_by + " · " + entry.confirmed_at : "";
    }
    function loadLogbook(id) {
      say(lbMsg, "");
      VNOT.post(urls.logbook_read, {lesson: id}).then(function (entry) { drawLogbook(entry, false); }, function (err) { say(lbMsg, err.message, "vnot-error"); });
    }
    function saveLogbook(confirm) {
      var data = {lesson: state.lesson, confirm: confirm,
                  content: lb.querySelector("[name=lb_content]").value, remarks: lb.querySelector("[name=lb_remarks]").value,
                  rating: lb.querySelector("[name=lb_rating]").value};
      say(lbMsg, VNOT.t("Saving…"));
      VNOT.post(urls.logbook_entry, data).then(function (entry) {
        draft("content", null); draft("remarks", null);
        drawLogbook(entry, true); say(lbMsg, VNOT.t("Saved."));
      }, function (err) { say(lbMsg, err.message, "vnot-error"); });
    }
    lb.addEventListener("click", function (e) {
      var act = e.target.getAttribute && e.target.getAttribute("data-act");
      if (act === "lb-save") { saveLogbook(false); }
      if (act === "lb-confirm") { saveLogbook(true); }
    });

    function history(row) {
      var hist = box.querySelector(".vnot-att-history");
      VNOT.post(urls.history, {lesson: state.lesson, user: row.user}).then(function (res) {
        hist.textContent = ""; hist.hidden = false;
        hist.appendChild(el("strong", {}, VNOT.t("History of this mark") + ": " + row.full_name));
        if (!res.history.length) { hist.appendChild(el("p", {}, VNOT.t("No change yet."))); return; }
        var ol = el("ol");
        res.history.forEach(function (c) {
          var text = c.at + " · " + c.by + " (" + (sources[c.source] || c.source) + "): " + labels[c.before.status] + " → " + labels[c.after.status];
          if (c.before.remark !== c.after.remark) { text += " · “" + c.after.remark + "”"; }
          if (c.before.location !== c.after.location) { text += " · " + ((places.filter(function (p) { return p[0] === c.after.location; })[0] || ["", ""])[1]); }
          if (c.device || c.ip) { text += " · " + [c.device, c.ip].filter(function (x) { return x; }).join(" · "); }
          ol.appendChild(el("li", {}, text));
        });
        hist.appendChild(ol);
      }, function (err) { say(rollMsg, err.message, "vnot-error"); });
    }

    function saveRoll() {
      var marks = [];
      panel.querySelectorAll("tr[data-changed]").forEach(function (tr) {
        var mark = {user: tr.getAttribute("data-user")};
        ["status", "location", "remark"].forEach(function (k) { var f = tr.querySelector("[name=" + k + "]"); if (f) { mark[k] = f.value; } });
        marks.push(mark);
      });
      if (!marks.length) { say(rollMsg, VNOT.t("Nothing to save.")); return; }
      say(rollMsg, VNOT.t("Saving…"));
      VNOT.post(urls.mark, {lesson: state.lesson, marks: marks}).then(function (res) {
        return openRoll(state.lesson).then(function () { say(rollMsg, fill(VNOT.t("Marked: {n}."), {n: res.changed}), "vnot-ok"); });
      }, function (err) { say(rollMsg, err.message, "vnot-error"); });
    }

    function bulk() {
      var status = panel.querySelector("select[name=bulk]").value;
      VNOT.post(urls.mark_unmarked, {lesson: state.lesson, status: status}).then(function (res) {
        return openRoll(state.lesson).then(function () { say(rollMsg, fill(VNOT.t("Marked: {n}."), {n: res.changed}), "vnot-ok"); });
      }, function (err) { say(rollMsg, err.message, "vnot-error"); });
    }

    /* Meeting-report import: upload → preview → confirm the ticked rows. */
    var importMsg = box.querySelector(".vnot-att-import-msg");
    function upload() {
      var input = panel.querySelector("input[name=report]");
      if (!input.files.length) { say(importMsg, VNOT.t("Choose a file."), "vnot-error"); return; }
      var data = new FormData();
      data.append("file", input.files[0]); data.append("lesson", String(state.lesson));
      data.append("format", panel.querySelector("select[name=format]").value);
      say(importMsg, VNOT.t("Uploading…"));
      fetch(urls.import_report, {method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": VNOT.csrf()}})
        .then(function (r) { return r.json().then(function (b) { if (!r.ok) { throw new Error(b.message); } return b; }); })
        .then(function (preview) { say(importMsg, ""); drawPreview(preview); },
              function (err) { say(importMsg, err.message || VNOT.t("Something went wrong. Please try again."), "vnot-error"); });
    }

    function drawPreview(preview) {
      state.preview = preview;
      var wrap = panel.querySelector(".vnot-att-preview"), tbody = wrap.querySelector("tbody");
      tbody.textContent = ""; wrap.hidden = false;
      var roster = [["", VNOT.t("Choose a student")]].concat(preview.roster.map(function (s) { return [s.username, s.full_name]; }));
      preview.people.forEach(function (p) {
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
        tr.appendChild(el("td", {}, p.minutes === null ? "—" : fill(VNOT.t("{minutes} min"), {minutes: p.minutes_display})));
        var candidates = p.candidates || [];
        var options = roster.slice().sort(function (a, b) { return (candidates.indexOf(b[0]) >= 0) - (candidates.indexOf(a[0]) >= 0); });
        var who2 = select(options, p.username || "", "username", p.name);
        who2.addEventListener("change", function () { tick.checked = !!who2.value && !!st.value; });
        tr.appendChild(el("td")).appendChild(who2);
        var st = select([["", "—"]].concat(statusOptions), host ? "" : p.suggested || "", "status", p.name);
        st.addEventListener("change", function () { tick.checked = !!who2.value && !!st.value; });
        tr.appendChild(el("td")).appendChild(st);
        tr.appendChild(el("td", {}, p.username ? labels[p.current || ""] : ""));
        tbody.appendChild(tr);
      });
    }

    function confirmImport() {
      var rows = [];
      panel.querySelectorAll(".vnot-att-preview tr[data-person]").forEach(function (tr) {
        if (!tr.querySelector("input[name=apply]").checked) { return; }
        rows.push({person: parseInt(tr.getAttribute("data-person"), 10), username: tr.querySelector("select[name=username]").value,
                   status: tr.querySelector("select[name=status]").value});
      });
      if (!rows.length) { say(importMsg, VNOT.t("Nothing to save.")); return; }
      say(importMsg, VNOT.t("Saving…"));
      VNOT.post(urls.import_confirm, {lesson: state.lesson, report: state.preview.report, rows: rows}).then(function (res) {
        panel.querySelector(".vnot-att-preview").hidden = true;
        return openRoll(state.lesson).then(function () { say(importMsg, fill(VNOT.t("Marked: {n}."), {n: res.changed}), "vnot-ok"); });
      }, function (err) { say(importMsg, err.message, "vnot-error"); });
    }

    /* Planning: one lesson, a weekly series, editing, cancelling and restoring. */
    var form = box.querySelector(".vnot-att-lesson-form");
    var listMsg = box.querySelector(".vnot-att-list-msg");
    function kind() { var k = form.querySelector("input[name=kind]:checked"); return k ? k.value : "one"; }
    function showKind() {
      form.querySelector(".vnot-att-one").hidden = kind() !== "one";
      form.querySelector(".vnot-att-weekly").hidden = kind() !== "weekly";
    }
    function setEditing(id) {
      form.querySelector("input[name=lesson]").value = id || "";
      form.querySelectorAll(".vnot-att-edit-only").forEach(function (n) { n.hidden = !id; });
      form.querySelector(".vnot-att-kind").hidden = !!id;
      if (id) {
        var l = args.lessons[id];
        form.querySelector("input[name=kind][value=one]").checked = true;
        ["date", "period", "start", "title", "syllabus_no", "platform", "link", "mode"].forEach(function (k) { form.elements.namedItem(k).value = l[k]; });
        form.elements.namedItem("minutes").value = l.length;
        form.elements.namedItem("require_code").checked = !!l.require_code;
        form.elements.reason.value = "";
      }
      showKind();
    }
    if (form) {
      var fmsg = form.querySelector(".vnot-msg");
      form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", showKind); });
      form.querySelector("[data-act=new]").addEventListener("click", function () { setEditing(null); });
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var f = form.elements;
        var data = {period: parseInt(f.period.value, 10) || 0, start: f.start.value, length: parseInt(f.namedItem("minutes").value, 10) || 0,
                    title: f.title.value, syllabus_no: f.syllabus_no.value, platform: f.platform.value, link: f.link.value, mode: f.mode.value,
                    require_code: f.require_code.checked};
        var url = urls.lesson_save;
        if (f.lesson.value) {
          data.lesson = parseInt(f.lesson.value, 10); data.date = f.date.value; data.reason = f.reason.value;
        } else if (kind() === "weekly") {
          url = urls.series_create; data.first = f.first.value; data.until = f.until.value;
          data.weekdays = Array.prototype.filter.call(form.querySelectorAll("input[name=weekdays]"), function (c) { return c.checked; })
            .map(function (c) { return parseInt(c.value, 10); });
          data.skip = f.skip.value.split(/[,;\s]+/).filter(function (s) { return s; });
        } else {
          data.date = f.date.value;
        }
        say(fmsg, VNOT.t("Saving…"));
        VNOT.post(url, data).then(function () { say(fmsg, VNOT.t("Saved."), "vnot-ok"); reload(box); },
                                  function (err) { say(fmsg, err.message, "vnot-error"); });
      });
    }

    box.querySelectorAll(".vnot-att-item [data-act]").forEach(function (b) {
      b.addEventListener("click", function () {
        var id = b.closest(".vnot-att-item").getAttribute("data-lesson");
        var act = b.getAttribute("data-act");
        if (act === "roll") { openRoll(parseInt(id, 10)); }
        if (act === "edit" && form) {
          setEditing(id); form.closest("details").open = true; form.scrollIntoView(); form.elements.date.focus();
        }
        if (act === "cancel") {
          var reason = root.prompt(VNOT.t("Why is the lesson cancelled?"));
          if (!reason || !reason.trim()) { return; }
          VNOT.post(urls.lesson_cancel, {lesson: parseInt(id, 10), reason: reason}).then(function () { reload(box); },
            function (err) { say(listMsg, err.message, "vnot-error"); });
        }
        if (act === "restore") {
          var why = root.prompt(VNOT.t("Why does the lesson take place after all?"));
          if (!why || !why.trim()) { return; }
          VNOT.post(urls.lesson_restore, {lesson: parseInt(id, 10), reason: why}).then(function () { reload(box); },
            function (err) { say(listMsg, err.message, "vnot-error"); });
        }
      });
    });
    var acts = {save: saveRoll, bulk: bulk, upload: upload, confirm: confirmImport};
    panel.querySelectorAll("[data-act]").forEach(function (b) {
      var fn = acts[b.getAttribute("data-act")]; if (fn) { b.addEventListener("click", fn); }
    });
    if (args.current) { openRoll(args.current); }
  };

  /* Studio: the block's settings. */
  root.VNOTAttendanceStudio = function (runtime, element, args) {
    var box = rootOf(element);
    VNOT.addStrings(args.strings || {});
    var form = box.querySelector(".vnot-form"), msg = form.querySelector(".vnot-msg");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = form.elements;
      var data = {display_name: f.display_name.value, class_name: f.class_name.value, subject: f.subject.value,
                  platform: f.platform.value, meeting_link: f.meeting_link.value, mode: f.mode.value,
                  require_code: f.require_code.checked,
                  networks: f.networks.value.split(/\n/).map(function (s) { return s.trim(); }).filter(function (s) { return s; })};
      say(msg, VNOT.t("Saving…"));
      VNOT.post(args.saveUrl, data).then(function () {
        say(msg, VNOT.t("Saved."), "vnot-ok");
        if (runtime && runtime.notify) { runtime.notify("save", {state: "end"}); }
      }, function (err) { say(msg, err.message, "vnot-error"); });
    });
  };
}(window));
