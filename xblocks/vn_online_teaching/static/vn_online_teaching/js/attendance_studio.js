/* session_attendance, Studio: the block's settings (class, subject, meeting, check-in rules). */
function VNOTAttendanceStudio(runtime, element, args) {
  "use strict";
  var form = VNOT.rootOf(element).querySelector(".vnot-form"), msg = form.querySelector(".vnot-msg");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = form.elements;
    VNOT.saveSettings(runtime, args.saveUrl, {
      display_name: f.display_name.value, class_name: f.class_name.value, subject: f.subject.value,
      platform: f.platform.value, meeting_link: f.meeting_link.value, mode: f.mode.value,
      require_code: f.require_code.checked,
      networks: f.networks.value.split(/\n/).map(function (s) { return s.trim(); }).filter(function (s) { return s; })
    }, msg);
  });
}
