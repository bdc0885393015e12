/* session_attendance, staff view: the class logbook line (sổ đầu bài) of the lesson open in the
   roll call panel. What the teacher types is kept on the device, per lesson, until the server
   has it (VNOT.keep), so a dropped connection or a closed tab loses nothing. */
(function (root) {
  "use strict";
  var parts = root.VNOTAttendanceParts = root.VNOTAttendanceParts || {};
  var TEXTS = ["content", "remarks"];

  parts.logbook = function (ctx) {
    var lb = ctx.panel.querySelector(".vnot-att-logbook");
    var msg = lb.querySelector(".vnot-att-logbook-msg");
    var lesson = null;
    var drafts = {};
    TEXTS.forEach(function (k) {
      /* The same keys as before drafts moved to VNOT.keep: drafts already kept are found again. */
      drafts[k] = VNOT.keep(lb.querySelector("[name=lb_" + k + "]"), function () {
        return lesson === null ? "" : "vnot-logbook-" + lesson + "-" + k;
      });
    });
    function draw(entry) {
      TEXTS.forEach(function (k) { drafts[k].show(entry[k]); });
      lb.querySelector("[name=lb_rating]").value = entry.rating || "";
      lb.querySelector(".vnot-att-logbook-state").textContent = entry.confirmed ?
        "✓ " + entry.confirmed_by + " · " + entry.confirmed_at : "";
    }
    function save(confirm) {
      var data = {lesson: lesson, confirm: confirm, content: lb.querySelector("[name=lb_content]").value,
                  remarks: lb.querySelector("[name=lb_remarks]").value, rating: lb.querySelector("[name=lb_rating]").value};
      VNOT.say(msg, VNOT.t("Saving…"));
      VNOT.post(ctx.urls.logbook_entry, data).then(function (entry) {
        TEXTS.forEach(function (k) { drafts[k].clear(); });
        draw(entry); VNOT.say(msg, VNOT.t("Saved."));
      }, VNOT.onError(msg));
    }
    lb.addEventListener("click", function (e) {
      var act = e.target.getAttribute && e.target.getAttribute("data-act");
      if (act === "lb-save") { save(false); }
      if (act === "lb-confirm") { save(true); }
    });
    return {
      load: function (id) {
        lesson = id; VNOT.say(msg, "");
        VNOT.post(ctx.urls.logbook_read, {lesson: id}).then(draw, VNOT.onError(msg));
      }
    };
  };
}(window));
