/* Shared by every block: translated strings, CSRF, JSON posts that survive a bad connection.
   A post carries a request id generated once per click, so a retry after a dropped connection
   is recognised by the server and never records a decision twice. */
(function (root) {
  "use strict";
  if (root.VNOT) { return; }
  var strings = {};
  function t(s) { return Object.prototype.hasOwnProperty.call(strings, s) ? strings[s] : s; }
  function addStrings(more) { for (var k in more) { if (more.hasOwnProperty(k)) { strings[k] = more[k]; } } }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function requestId() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }
  /* POST JSON; retries network failures (not server answers) up to `tries` times. */
  function post(url, data, tries) {
    tries = tries === undefined ? 3 : tries;
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { var e = new Error(body.message || t("Something went wrong. Please try again.")); e.body = body; e.status = r.status; throw e; }
        return body;
      });
    }, function () {
      if (tries > 1) {
        return new Promise(function (res) { setTimeout(res, 1500); }).then(function () { return post(url, data, tries - 1); });
      }
      var e = new Error(t("No connection. Your text is kept on this device; try again when you are back online."));
      e.offline = true; throw e;
    });
  }
  /* Keep what a person types in localStorage until the server has it. */
  function keep(el, key) {
    try {
      var saved = root.localStorage.getItem(key);
      if (saved && !el.value) { el.value = saved; }
      el.addEventListener("input", function () { root.localStorage.setItem(key, el.value); });
    } catch (e) { /* storage may be disabled */ }
    return { clear: function () { try { root.localStorage.removeItem(key); } catch (e) { /* ignore */ } } };
  }
  function q(el, sel) { return el.querySelector(sel); }
  root.VNOT = { t: t, addStrings: addStrings, post: post, requestId: requestId, keep: keep, csrf: csrf, q: q };
  /* Every block starts here: its arguments come from its own escaped JSON element (a direct
     child of the block's element, so a nested block's arguments are never taken), its
     translated strings from the runtime's init arguments. */
  root.VNOTBoot = function (runtime, element, boot) {
    var el = element && element.jquery ? element[0] : element;
    var args = {};
    for (var i = 0; el && i < el.children.length; i++) {
      var c = el.children[i];
      if (c.tagName === "SCRIPT" && c.className === "vnot-args") { args = JSON.parse(c.textContent || "{}"); break; }
    }
    args.strings = boot.strings || {};
    return root[boot.init](runtime, element, args);
  };
}(window));
