/* approved_material, Studio editor: the configuration form, links and attachments. */
function VNOTMaterialStudio(runtime, element, args) {
  "use strict";
  var root = element.jquery ? element[0] : element;
  VNOT.addStrings(args.strings || {});
  var form = root.querySelector(".vnot-form");
  var msg = form.querySelector(".vnot-msg");
  var links = (args.links || []).slice();
  var attachments = (args.attachments || []).slice();
  function li(text, onRemove) {
    var item = document.createElement("li");
    var span = document.createElement("span"); span.textContent = text; item.appendChild(span);
    var b = document.createElement("button"); b.type = "button"; b.className = "vnot-btn vnot-small";
    b.textContent = VNOT.t("Remove"); b.addEventListener("click", onRemove); item.appendChild(b);
    return item;
  }
  function draw() {
    var ul = form.querySelector(".vnot-link-list"); ul.textContent = "";
    links.forEach(function (l, i) { ul.appendChild(li(l.title + " — " + l.url, function () { links.splice(i, 1); draw(); })); });
    var al = form.querySelector(".vnot-attachment-list"); al.textContent = "";
    attachments.forEach(function (a, i) { al.appendChild(li(a.name, function () { attachments.splice(i, 1); draw(); })); });
  }
  function say(text, cls) { msg.textContent = text; msg.className = "vnot-msg " + (cls || ""); }
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
    say(VNOT.t("Uploading…"));
    fetch(args.uploadUrl, {method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": VNOT.csrf()}})
      .then(function (r) { return r.json().then(function (b) { if (!r.ok) { throw new Error(b.message); } return b; }); })
      .then(function (item) {
        if (!attachments.some(function (a) { return a.sha256 === item.sha256; })) { attachments.push(item); }
        draw(); say(VNOT.t("Saved."), "vnot-ok"); ev.target.value = "";
      }, function (err) { say(err.message || VNOT.t("Something went wrong. Please try again."), "vnot-error"); });
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = {links: links, attachments: attachments.map(function (a) { return a.sha256; })};
    ["display_name", "kind", "subject", "grade", "lesson", "author_name", "source", "licence", "body"].forEach(function (n) {
      data[n] = form.elements[n].value;
    });
    say(VNOT.t("Saving…"));
    VNOT.post(args.saveUrl, data).then(function () {
      say(VNOT.t("Saved."), "vnot-ok");
      if (runtime && runtime.notify) { runtime.notify("save", {state: "end"}); }
    }, function (err) { say(err.message, "vnot-error"); });
  });
  draw();
}
