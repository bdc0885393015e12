/* approved_material, staff view: take a workflow decision. */
function VNOTMaterial(runtime, element, args) {
  "use strict";
  var root = VNOT.rootOf(element);
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
        VNOT.say(msg, VNOT.t("Please write a comment for the author."), "vnot-error"); if (comment) { comment.focus(); } return;
      }
      if (btn.getAttribute("data-needs-checklist")) {
        for (var k in checklist) { if (!checklist[k]) {
          VNOT.say(msg, VNOT.t("Tick every item of the checklist before you decide."), "vnot-error"); return;
        } }
      }
      if (!pending || pending.action !== action) { pending = {action: action, id: VNOT.requestId()}; }
      box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      VNOT.say(msg, VNOT.t("Saving…"));
      VNOT.post(args.decideUrl, {action: action, comment: comment ? comment.value : "", checklist: checklist,
                                 fingerprint: args.fingerprint, request_id: pending.id})
        .then(function (res) {
          draft.clear();
          VNOT.say(msg, VNOT.t("Saved.") + " " + res.state_label, "vnot-ok");
          VNOT.reload(root, 600);
        }, function (err) {
          VNOT.say(msg, err.message, "vnot-error");
          if (!err.offline) { pending = null; }
          box.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        });
    });
  });
}
