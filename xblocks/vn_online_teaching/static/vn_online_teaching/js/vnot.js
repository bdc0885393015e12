/* Shared by every block: translated strings, CSRF, JSON posts that survive a bad connection,
   uploads with progress, drafts kept on the device and the few DOM helpers every view uses.
   A post carries a request id generated once per click, so a retry after a dropped connection
   is recognised by the server and never records a decision twice.

   Every string a script shows is passed to the t function below as one string literal:
   core/blockbase.py reads those calls from each file a view loads and ships exactly their
   translations with the page (scripts/messages.py reads the same calls for the catalog). */
(function (root) {
  "use strict";
  if (root.VNOT) { return; }
  var strings = {};
  var VNOT = root.VNOT = {};

  VNOT.t = function (s) { return Object.prototype.hasOwnProperty.call(strings, s) ? strings[s] : s; };
  VNOT.addStrings = function (more) { for (var k in more) { if (more.hasOwnProperty(k)) { strings[k] = more[k]; } } };
  /* "{n} of {total}" with the values put in; unknown names stay as written. */
  VNOT.fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  };

  VNOT.csrf = function () {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  };
  VNOT.requestId = function () {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  };
  function failure(status, body, fallback) {
    var e = new Error((body && body.message) || fallback || VNOT.t("Something went wrong. Please try again."));
    e.body = body || {}; e.status = status;
    return e;
  }
  /* A gateway's answer while the platform restarts or is overloaded (the reverse proxy in front
     of the LMS: 502, 503, 504): the request never reached our handler, so it is a lost
     connection, not a refusal. */
  var GATEWAY = {502: true, 503: true, 504: true};
  /* POST JSON; retries network failures and gateway answers (not our handlers' answers) up to
     `tries` times, then fails with `offline` set: the caller keeps what it sent. */
  VNOT.post = function post(url, data, tries) {
    tries = tries === undefined ? 3 : tries;
    function lost() {
      if (tries > 1) {
        return new Promise(function (res) { setTimeout(res, 1500); }).then(function () { return post(url, data, tries - 1); });
      }
      var e = new Error(VNOT.t("No connection. Your text is kept on this device; try again when you are back online."));
      e.offline = true; throw e;
    }
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": VNOT.csrf()},
      body: JSON.stringify(data)
    }).then(function (r) {
      if (GATEWAY[r.status]) { return lost(); }
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw failure(r.status, body); }
        return body;
      });
    }, lost);
  };
  /* POST a multipart form (a file and its fields) and answer its JSON. The share sent so far is
     shown in `msg`, since a report or an attachment can take a while on a school's connection.
     A 413 from a proxy in front of the platform carries no message of ours: it still reads as
     "too large". A dropped connection is not retried (the person still has the file chosen). */
  VNOT.upload = function (url, formData, msg) {
    var uploading = VNOT.t("Uploading…");
    VNOT.say(msg, uploading);
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.withCredentials = true;
      xhr.setRequestHeader("X-CSRFToken", VNOT.csrf());
      if (xhr.upload) {
        xhr.upload.addEventListener("progress", function (ev) {
          if (ev.lengthComputable && ev.total) { VNOT.say(msg, uploading + " " + Math.floor(100 * ev.loaded / ev.total) + "%"); }
        });
      }
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText || "{}"); } catch (e) { body = {}; }
        if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
        reject(failure(xhr.status, body, xhr.status === 413 ? VNOT.t("The file is too large to upload.") : ""));
      };
      xhr.onerror = function () {
        var e = new Error(VNOT.t("No connection. Try again when you are back online."));
        e.offline = true; reject(e);
      };
      xhr.send(formData);
    });
  };

  /* Keep what a person types in this browser's storage until the server has it. `key` is a
     string, or a function when one field serves several records in turn (the logbook line of
     whichever lesson is open); a function answers "" while there is nothing to keep for. */
  VNOT.keep = function (el, key) {
    var keyOf = typeof key === "function" ? key : function () { return key; };
    function store(op, value) {
      var k = keyOf();
      if (!k) { return null; }
      try {
        if (op === "get") { return root.localStorage.getItem(k); }
        if (op === "set") { root.localStorage.setItem(k, value); } else { root.localStorage.removeItem(k); }
      } catch (e) { /* storage may be disabled */ }
      return null;
    }
    var saved = store("get");
    if (saved && !el.value) { el.value = saved; }
    el.addEventListener("input", function () { store("set", el.value); });
    return {
      clear: function () { store("remove"); },
      /* Show the kept draft if there is one (even an emptied one), else `value` from the server. */
      show: function (value) { var d = store("get"); el.value = d !== null ? d : (value || ""); }
    };
  };

  VNOT.q = function (el, sel) { return el.querySelector(sel); };
  VNOT.rootOf = function (element) { return element && element.jquery ? element[0] : element; };
  VNOT.el = function (tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") { node.className = attrs[k]; } else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  };
  /* A <select> of [value, label] pairs. */
  VNOT.select = function (options, value, name, label) {
    var s = VNOT.el("select", {name: name, "aria-label": label});
    options.forEach(function (o) { var opt = VNOT.el("option", {value: o[0]}, o[1]); if (o[0] === value) { opt.selected = true; } s.appendChild(opt); });
    return s;
  };
  /* Write a message into a status line; `cls` is "vnot-ok", "vnot-error" or nothing. */
  VNOT.say = function (node, text, cls) {
    if (!node) { return; }
    node.textContent = text || "";
    node.className = node.className.replace(/ vnot-(error|ok)/g, "") + (cls ? " " + cls : "");
  };
  /* An error handler for a promise that shows the server's (translated) message in `node`. */
  VNOT.onError = function (node) { return function (err) { VNOT.say(node, err.message, "vnot-error"); }; };
  VNOT.reload = function (node, delay) {
    setTimeout(function () { node.ownerDocument.location.reload(); }, delay === undefined ? 500 : delay);
  };
  /* Studio's settings forms: save, say so, and tell Studio the editor may close. */
  VNOT.saveSettings = function (runtime, url, data, msg) {
    VNOT.say(msg, VNOT.t("Saving…"));
    return VNOT.post(url, data).then(function (res) {
      VNOT.say(msg, VNOT.t("Saved."), "vnot-ok");
      if (runtime && runtime.notify) { runtime.notify("save", {state: "end"}); }
      return res;
    }, VNOT.onError(msg));
  };

  /* Every block starts here: its arguments come from its own escaped JSON element (a direct
     child of the block's element, so a nested block's arguments are never taken), its
     translated strings from the runtime's init arguments. */
  root.VNOTBoot = function (runtime, element, boot) {
    var el = VNOT.rootOf(element);
    var args = {};
    for (var i = 0; el && i < el.children.length; i++) {
      var c = el.children[i];
      if (c.tagName === "SCRIPT" && c.className === "vnot-args") { args = JSON.parse(c.textContent || "{}"); break; }
    }
    args.strings = boot.strings || {};
    VNOT.addStrings(args.strings);
    return root[boot.init](runtime, element, args);
  };
}(window));
