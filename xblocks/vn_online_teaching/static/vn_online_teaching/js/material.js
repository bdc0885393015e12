/* approved_material, staff view: take a workflow decision. */
function VNOTMaterial(runtime, element, args) {
  "use strict";
  var root = element.jquery ? element[0] : element;
  VNOT.addStrings(args.strings || {});
  var box = root.querySelector(".vnot-decide");
  if (!box) { return; }
  var msg = box.querySelector(".vnot-msg");
  var comment = box.querySelector("textarea[name=comment]");
  var draft = comment ? VNOT.keep(comment, "vnot:comment:" + args.usageKey) : {clear: function () {}};
  var pending = null;  // one request id per decision attempt, reused on retry
  box.querySelectorAll("button[data-action]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var action = btn.getAttribute("data-action");
      var checklist = {};
      box.querySelectorAll(".vnot-checklist input").forEach(function (c) { checklist[c.name] = c.checked; });
      if (btn.getAttribute("data-needs-comment") && (!comment || !comment.value.trim())) {
        msg.textContent = VNOT.t("Please write a comment for the author."); msg.className = "vnot-msg vnot-error"; comment.focus(); return;
      }
      if (btn.getAttribute("data-needs-checklist")) {
        for (var k in checklist) { if (!checklist[k]) {
          msg.textContent = VNOT.t("Tick every item of the checklist before you decide."); msg.className = "vnot-msg vnot-error"; return;
        } }
      }
      if (!pending || pending.action !== action) { pending = {action: action, id: VNOT.requestId()}; }
      box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      msg.textContent = VNOT.t("Saving…"); msg.className = "vnot-msg";
      VNOT.post(args.decideUrl, {action: action, comment: comment ? comment.value : "", checklist: checklist,
                                 fingerprint: args.fingerprint, request_id: pending.id})
        .then(function (res) {
          draft.clear();
          msg.textContent = VNOT.t("Saved.") + " " + res.state_label; msg.className = "vnot-msg vnot-ok";
          setTimeout(function () { root.ownerDocument.location.reload(); }, 600);
        }, function (err) {
          msg.textContent = err.message; msg.className = "vnot-msg vnot-error";
          if (!err.offline) { pending = null; }
          box.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        });
    });
  });
}
