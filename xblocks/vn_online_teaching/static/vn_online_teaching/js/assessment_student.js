/* periodic_assessment, the student's page: start with the access code, answer, hand in.
   Every answer is numbered (the attempt's sequence) and kept in localStorage until the server
   acknowledges it, so a dropped connection loses nothing: the queue is sent again when the
   browser is back online. The time left is the server's: it comes with every answer saved. */
function VNOTAssessment(runtime, element, args) {
  "use strict";
  var root = VNOT.rootOf(element), urls = args.urls, q = function (s) { return root.querySelector(s); };
  var storeKey = "vnot-asm:" + args.key + ":" + args.user;
  var state = load(), paper = null, current = 0, deadline = 0, inflight = false, timer = null, ended = false;
  var stalled = false, handing = false;
  var before = q(".vnot-asm-before"), sheet = q(".vnot-asm-paper"), done = q(".vnot-asm-done");
  var statusEl = q(".vnot-asm-status"), clockEl = q(".vnot-asm-clock"), msg = q(".vnot-asm-msg");
  var RETRY_MS = 3000, SIGNAL_MS = 10000, TYPE_MS = 800;
  if (!before) { return; }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function keep() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode: memory only */ }
  }
  state.queue = state.queue || []; state.signals = state.signals || []; state.seq = state.seq || 0;
  state.requestId = state.requestId || VNOT.requestId(); keep();

  function status(text, cls) { statusEl.textContent = text; statusEl.className = "vnot-asm-status " + (cls || ""); }
  function showStatus() {
    if (!navigator.onLine || state.offline) { status(VNOT.t("Offline: your answers are kept on this device"), "vnot-asm-offline"); }
    else if (stalled) { status(VNOT.t("Not saved: see the message below"), "vnot-asm-offline"); }
    else if (state.queue.length) { status(VNOT.t("Saving…"), "vnot-asm-saving"); }
    else { status(VNOT.t("Saved."), "vnot-asm-saved"); }
  }

  /* The clock: the server's seconds left, counted down here and set again on every answer. */
  function sync(remaining) {
    if (typeof remaining === "number") { deadline = Date.now() + remaining * 1000; }
  }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clockEl.textContent = VNOT.fill(VNOT.t("Time left: {time}"), {time: m + ":" + (s < 10 ? "0" : "") + s});
    clockEl.classList.toggle("vnot-asm-late", left < 300);
    if (left === 0 && !ended) { handIn(false); }
  }

  function finish(view) {
    ended = true; clearInterval(timer);
    state.queue = []; state.signals = []; keep();
    sheet.hidden = true; before.hidden = true; done.hidden = false;
    q(".vnot-asm-done-text").textContent = VNOT.fill(VNOT.t("Your attempt: {state}"), {state: (view && view.state_label) || ""});
    if (view && view.result) {
      done.appendChild(VNOT.el("p", {"class": "vnot-asm-result"}, VNOT.fill(VNOT.t("Your result: {result}"), {result: view.result.shown})));
    }
  }
  function refused(err) {
    if (err.status === 409 && (err.body.error === "ended" || err.body.error === "time_up" || err.body.error === "taken")) {
      finish({state_label: err.message}); return true;
    }
    return false;
  }

  /* Answers ------------------------------------------------------------------------------- */
  function queue(position, response) {
    state.seq += 1;
    state.queue = state.queue.filter(function (a) { return a.position !== position; });
    state.queue.push({seq: state.seq, position: position, response: response});
    keep(); showStatus(); flush();
  }
  function flush() {
    if (inflight || ended || !state.queue.length || !state.device) { return; }
    inflight = true;
    var batch = state.queue.slice(0, 50);
    VNOT.post(urls.save_answers, {device: state.device, answers: batch}, 1).then(function (res) {
      var acked = {};
      res.results.forEach(function (r) { acked[r.seq] = true; });
      state.queue = state.queue.filter(function (a) { return !acked[a.seq]; });
      state.offline = false; stalled = false; keep(); sync(res.remaining);
    }, function (err) {
      if (err.offline) { state.offline = true; keep(); return; }
      if (refused(err)) { return; }
      if (err.status === 400) {  // an answer the server cannot read: sending it again cannot help
        state.queue = state.queue.filter(function (a) { return batch.indexOf(a) < 0; }); keep();
      } else {  // another device, a reopened attempt: the answers stay here, the message says why
        stalled = true;
      }
      VNOT.say(msg, err.message, "vnot-error");
    }).then(function () {
      inflight = false; showStatus();
      if (state.queue.length && !ended && !stalled) { setTimeout(flush, state.offline ? RETRY_MS : 0); }
    });
  }

  /* Signals: what the browser notices, sent in batches. */
  function note(kind) {
    if (!paper || ended) { return; }
    var item = paper.items[current];
    state.signals.push({kind: kind, at: Date.now(), position: item ? item.position : undefined});
    state.signals = state.signals.slice(-50); keep();
  }
  function sendSignals() {
    if (!state.signals.length || !state.device || ended) { return; }
    var batch = state.signals.slice(0, 50);
    VNOT.post(urls.signal, {device: state.device, signals: batch}, 1).then(function () {
      state.signals = state.signals.slice(batch.length); keep();
    }, function (err) { if (!err.offline) { state.signals = []; keep(); } });
  }
  document.addEventListener("visibilitychange", function () { if (document.hidden) { note("page_hidden"); } });
  window.addEventListener("blur", function () { note("window_blur"); });
  document.addEventListener("fullscreenchange", function () { if (!document.fullscreenElement) { note("fullscreen_exit"); } });
  root.addEventListener("paste", function () { note("paste"); });
  root.addEventListener("copy", function () { note("copy"); });
  window.addEventListener("online", function () { state.offline = false; stalled = false; showStatus(); flush(); sendSignals(); });
  window.addEventListener("offline", function () { state.offline = true; showStatus(); });

  /* The paper ----------------------------------------------------------------------------- */
  var PARTS = {mcq: VNOT.t("Multiple choice"), true_false: VNOT.t("True/false"), short: VNOT.t("Short answer"), essay: VNOT.t("Essay")};
  function rich(html) { var d = VNOT.el("div", {"class": "vnot-asm-rich"}); d.innerHTML = html; return d; }
  function radio(name, value, checked, onPick) {
    var input = VNOT.el("input", {type: "radio", name: name, value: value});
    input.checked = checked; input.addEventListener("change", onPick);
    return input;
  }
  function renderItem(item, answer) {
    var box = VNOT.el("section", {"class": "vnot-asm-item", "data-position": String(item.position)});
    box.appendChild(VNOT.el("h3", {}, VNOT.fill(VNOT.t("Question {n}"), {n: item.number}) + " · " + PARTS[item.format]));
    box.appendChild(rich(item.stem));
    var name = "q" + item.position + "-" + Math.random().toString(16).slice(2);
    if (item.format === "mcq") {
      item.choices.forEach(function (c) {
        var label = VNOT.el("label", {"class": "vnot-asm-choice"});
        label.appendChild(radio(name, c.letter, answer === c.letter, function () { queue(item.position, c.letter); mapMark(); }));
        label.appendChild(VNOT.el("b", {}, c.letter + ". ")); label.appendChild(rich(c.html));
        box.appendChild(label);
      });
    } else if (item.format === "true_false") {
      var picked = answer || {};
      item.statements.forEach(function (s) {
        var row = VNOT.el("div", {"class": "vnot-asm-statement"});
        row.appendChild(VNOT.el("b", {}, s.letter + ") ")); row.appendChild(rich(s.html));
        [[true, VNOT.t("True")], [false, VNOT.t("False")]].forEach(function (o) {
          var label = VNOT.el("label", {"class": "vnot-asm-tf"});
          label.appendChild(radio(name + s.letter, String(o[0]), picked[s.letter] === o[0], function () {
            picked[s.letter] = o[0]; queue(item.position, Object.assign({}, picked)); mapMark();
          }));
          label.appendChild(document.createTextNode(" " + o[1])); row.appendChild(label);
        });
        box.appendChild(row);
      });
    } else {
      var field = item.format === "essay" ? VNOT.el("textarea", {rows: "8", maxlength: "20000"})
        : VNOT.el("input", {type: "text", maxlength: "200", inputmode: item.input === "number" ? "decimal" : "text", autocomplete: "off"});
      field.value = typeof answer === "string" ? answer : "";
      field.setAttribute("aria-label", VNOT.t("Your answer"));
      var wait = null;
      field.addEventListener("input", function () {
        clearTimeout(wait); wait = setTimeout(function () { queue(item.position, field.value); mapMark(); }, TYPE_MS);
      });
      box.appendChild(field);
    }
    return box;
  }
  function answered(box) {
    return !!box.querySelector("input:checked") || Array.prototype.some.call(box.querySelectorAll("input[type=text],textarea"), function (f) { return f.value.trim(); });
  }
  function mapMark() {
    var boxes = root.querySelectorAll(".vnot-asm-item");
    root.querySelectorAll(".vnot-asm-map button").forEach(function (b, i) {
      b.classList.toggle("vnot-asm-answered", answered(boxes[i]));
      b.classList.toggle("vnot-asm-here", i === current);
    });
  }
  function show(i) {
    current = Math.max(0, Math.min(paper.items.length - 1, i));
    var all = q(".vnot-asm-all").checked;
    root.querySelectorAll(".vnot-asm-item").forEach(function (box, j) { box.hidden = !all && j !== current; });
    q(".vnot-asm-steps").hidden = all;
    q(".vnot-asm-prev").disabled = current === 0; q(".vnot-asm-next").disabled = current === paper.items.length - 1;
    mapMark();
  }
  function open(view) {
    if (view.state !== "in_progress" || !view.paper) { finish(view); return; }
    paper = view.paper; sync(view.remaining);
    state.seq = Math.max(state.seq, view.last_seq || 0); keep();
    var answers = view.answers || {};
    state.queue.forEach(function (a) { answers[String(a.position)] = a.response; });
    var items = q(".vnot-asm-items"), map = q(".vnot-asm-map");
    items.textContent = ""; map.textContent = "";
    paper.items.forEach(function (item, i) {
      items.appendChild(renderItem(item, answers[String(item.position)]));
      var b = VNOT.el("button", {type: "button", "class": "vnot-btn vnot-small"}, String(i + 1));
      b.addEventListener("click", function () { show(i); }); map.appendChild(b);
    });
    before.hidden = true; sheet.hidden = false;
    show(0); showStatus(); tick();
    clearInterval(timer); timer = setInterval(tick, 1000);
    setInterval(sendSignals, SIGNAL_MS);
    flush();
  }
  q(".vnot-asm-prev").addEventListener("click", function () { show(current - 1); });
  q(".vnot-asm-next").addEventListener("click", function () { show(current + 1); });
  q(".vnot-asm-all").addEventListener("change", function () { show(current); });

  /* Starting and handing in ---------------------------------------------------------------- */
  var form = q(".vnot-asm-startform");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var code = form.elements.code ? form.elements.code.value : "";
    var m = form.querySelector(".vnot-msg");
    VNOT.say(m, VNOT.t("Starting…"));
    VNOT.post(urls.start, {request_id: state.requestId, code: code}).then(function (view) {
      state.device = view.device; keep(); VNOT.say(m, ""); open(view);
    }, function (err) { if (!refused(err)) { VNOT.say(m, err.message, "vnot-error"); } });
  });
  function handIn(ask) {
    if (handing || (ask && !window.confirm(VNOT.t("Hand in now? You cannot change your answers afterwards.")))) { return; }
    handing = true;
    VNOT.say(msg, VNOT.t("Handing in…"));
    VNOT.post(urls.submit, {device: state.device, answers: state.queue.slice(0, 50)}).then(finish, function (err) {
      handing = false;
      if (!refused(err)) { VNOT.say(msg, err.message, "vnot-error"); }
    });
  }
  q(".vnot-asm-handin").addEventListener("click", function () { handIn(true); });

  var summary = args.summary || {};
  if (summary.state === "in_progress" && state.device) {
    VNOT.post(urls.resume, {device: state.device}, 1).then(open, function (err) {
      if (!refused(err)) { VNOT.say(form.querySelector(".vnot-msg"), err.message, "vnot-error"); }
    });
  } else if (summary.state === "published") {  // the result, read from any browser
    form.hidden = true;
    VNOT.post(urls.resume, {device: state.device || ""}, 1).then(finish, function () { /* the page says the state */ });
  } else if (summary.state && summary.state !== "not_started" && summary.state !== "in_progress" && summary.state !== "reopened") {
    form.hidden = true;
  }
}
