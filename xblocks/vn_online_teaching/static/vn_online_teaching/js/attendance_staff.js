/* session_attendance, staff view: the lessons (list, planning form, cancel and restore) and the
   start of the roll call panel. The panel's parts are attendance_roll.js (marks, history, the
   rotating code), attendance_import.js (meeting reports) and attendance_logbook.js (the class
   logbook line); the view loads them before this file. Every decision is the server's. */
(function (root) {
  "use strict";
  var parts = root.VNOTAttendanceParts = root.VNOTAttendanceParts || {};

  /* What every part of the panel reads: the page, the handlers, the labels of statuses, sources
     and places as the server translated them. */
  function context(box, args) {
    var labels = {}; args.statuses.forEach(function (s) { labels[s[0]] = s[1]; });
    var sources = {}; args.sources.forEach(function (s) { sources[s[0]] = s[1]; });
    var places = [["", "—"]].concat(args.locations);
    return {
      box: box, panel: box.querySelector(".vnot-att-roll"), args: args, urls: args.urls,
      labels: labels, sources: sources, places: places,
      statusOptions: args.statuses.filter(function (s) { return s[0] !== ""; }),
      placeLabel: function (key) { return (places.filter(function (p) { return p[0] === key; })[0] || ["", ""])[1]; }
    };
  }

  /* Planning: one lesson, a weekly series, or (with a lesson id) changing one. */
  function planning(form, args, box) {
    function kind() { var k = form.querySelector("input[name=kind]:checked"); return k ? k.value : "one"; }
    function showKind() {
      form.querySelector(".vnot-att-one").hidden = kind() !== "one";
      form.querySelector(".vnot-att-weekly").hidden = kind() !== "weekly";
    }
    function edit(id) {
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
    var msg = form.querySelector(".vnot-msg");
    form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", showKind); });
    form.querySelector("[data-act=new]").addEventListener("click", function () { edit(null); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = form.elements;
      var data = {period: parseInt(f.period.value, 10) || 0, start: f.start.value, length: parseInt(f.namedItem("minutes").value, 10) || 0,
                  title: f.title.value, syllabus_no: f.syllabus_no.value, platform: f.platform.value, link: f.link.value, mode: f.mode.value,
                  require_code: f.require_code.checked};
      var url = args.urls.lesson_save;
      if (f.lesson.value) {
        data.lesson = parseInt(f.lesson.value, 10); data.date = f.date.value; data.reason = f.reason.value;
      } else if (kind() === "weekly") {
        url = args.urls.series_create; data.first = f.first.value; data.until = f.until.value;
        data.weekdays = Array.prototype.filter.call(form.querySelectorAll("input[name=weekdays]"), function (c) { return c.checked; })
          .map(function (c) { return parseInt(c.value, 10); });
        data.skip = f.skip.value.split(/[,;\s]+/).filter(function (s) { return s; });
      } else {
        data.date = f.date.value;
      }
      VNOT.say(msg, VNOT.t("Saving…"));
      VNOT.post(url, data).then(function () { VNOT.say(msg, VNOT.t("Saved."), "vnot-ok"); VNOT.reload(box); }, VNOT.onError(msg));
    });
    return {
      open: function (id) {
        edit(id); form.closest("details").open = true; form.scrollIntoView(); form.elements.date.focus();
      }
    };
  }

  /* A cancellation or its undoing asks why (the reason goes to the lesson's history). */
  function changeLesson(url, question, id, box, msg) {
    var reason = root.prompt(question);
    if (!reason || !reason.trim()) { return; }
    VNOT.post(url, {lesson: parseInt(id, 10), reason: reason}).then(function () { VNOT.reload(box); }, VNOT.onError(msg));
  }

  root.VNOTAttendanceStaff = function (runtime, element, args) {
    var box = VNOT.rootOf(element);
    var ctx = context(box, args);
    var logbook = parts.logbook(ctx);
    var roll = parts.roll(ctx, logbook);
    parts.importer(ctx, roll);
    var form = box.querySelector(".vnot-att-lesson-form");
    var plan = form ? planning(form, args, box) : null;
    var listMsg = box.querySelector(".vnot-att-list-msg");
    box.querySelectorAll(".vnot-att-item [data-act]").forEach(function (b) {
      b.addEventListener("click", function () {
        var id = b.closest(".vnot-att-item").getAttribute("data-lesson");
        var act = b.getAttribute("data-act");
        if (act === "roll") { roll.open(parseInt(id, 10)); }
        if (act === "edit" && plan) { plan.open(id); }
        if (act === "cancel") { changeLesson(args.urls.lesson_cancel, VNOT.t("Why is the lesson cancelled?"), id, box, listMsg); }
        if (act === "restore") {
          changeLesson(args.urls.lesson_restore, VNOT.t("Why does the lesson take place after all?"), id, box, listMsg);
        }
      });
    });
    if (args.current) { roll.open(args.current); }
  };
}(window));
