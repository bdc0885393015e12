/* approved_material, Studio editor: the configuration form, links and attachments. */
function VNOTMaterialStudio(runtime, element, args) {
  "use strict";
  var form = VNOT.rootOf(element).querySelector(".vnot-form");
  var msg = form.querySelector(".vnot-msg");
  var links = (args.links || []).slice();
  var attachments = (args.attachments || []).slice();
  function li(text, onRemove) {
    var item = VNOT.el("li");
    item.appendChild(VNOT.el("span", {}, text));
    var b = VNOT.el("button", {type: "button", "class": "vnot-btn vnot-small"}, VNOT.t("Remove"));
    b.addEventListener("click", onRemove); item.appendChild(b);
    return item;
  }
  function draw() {
    var ul = form.querySelector(".vnot-link-list"); ul.textContent = "";
    links.forEach(function (l, i) { ul.appendChild(li(l.title + " — " + l.url, function () { links.splice(i, 1); draw(); })); });
    var al = form.querySelector(".vnot-attachment-list"); al.textContent = "";
    attachments.forEach(function (a, i) { al.appendChild(li(a.name, function () { attachments.splice(i, 1); draw(); })); });
  }
  form.querySelector(".vnot-add-link").addEventListener("click", function () {
    var url = form.querySelector(".vnot-new-link-url").value.trim();
    if (!url) { return; }
    links.push({title: form.querySelector(".vnot-new-link-title").value.trim(), url: url,
                kind: form.querySelector(".vnot-new-link-kind").value});
    form.querySelector(".vnot-new-link-url").value = ""; form.querySelector(".vnot-new-link-title").value = "";
    draw();
  });
  form.querySelector(".vnot-upload").addEventListener("change", function (ev) {
    var file = ev.target.files[0]; if (!file) { return; }
    var data = new FormData(); data.append("file", file);
    VNOT.upload(args.uploadUrl, data, msg).then(function (item) {
      if (!attachments.some(function (a) { return a.sha256 === item.sha256; })) { attachments.push(item); }
      draw(); VNOT.say(msg, VNOT.t("Saved."), "vnot-ok"); ev.target.value = "";
    }, VNOT.onError(msg));
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = {links: links, attachments: attachments.map(function (a) { return a.sha256; })};
    ["display_name", "kind", "subject", "grade", "lesson", "author_name", "source", "licence", "body"].forEach(function (n) {
      data[n] = form.elements[n].value;
    });
    VNOT.saveSettings(runtime, args.saveUrl, data, msg);
  });
  draw();
}
