/* session_attendance, student view: check in to the lesson now open. The server decides whether
   the check-in counts (open window, code, network, roster); this file sends it and shows the answer. */
function VNOTAttendance(runtime, element, args) {
  "use strict";
  var box = VNOT.rootOf(element);
  var form = box.querySelector(".vnot-att-checkin");
  if (!form) { return; }
  var lesson = parseInt(box.querySelector(".vnot-att-next").getAttribute("data-lesson"), 10);
  var msg = form.querySelector(".vnot-msg");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var code = form.querySelector("input[name=code]");
    var button = form.querySelector("button");
    button.disabled = true; VNOT.say(msg, VNOT.t("Saving…"));
    VNOT.post(args.checkInUrl, {lesson: lesson, code: code ? code.value : ""}).then(function (res) {
      VNOT.say(msg, VNOT.t("Checked in.") + " " + res.status_label, "vnot-ok");
      VNOT.reload(box);
    }, function (err) {
      VNOT.say(msg, err.message, "vnot-error"); button.disabled = false;
      /* A refused code is cleared for the next try; after a dropped connection it stays. */
      if (code && !err.offline) { code.value = ""; }
      if (code) { code.focus(); }
    });
  });
}
