/* records_archive: start an export, follow its progress (the page asks the server every few
   seconds while a job runs), download and verify packages, place and release legal holds, record
   a disposal. Every decision is the server's: this file sends the forms and shows the answers. */
function VNOTArchive(runtime, element, args) {
  "use strict";
  var box = VNOT.rootOf(element);
  var urls = args.urls;
  var list = box.querySelector(".vnot-arc-jobs");
  var holdMsg = box.querySelector(".vnot-arc-hold-msg");
  var timer = null;

  function scopeOf(form) {
    var data = {school_year: form.school_year.value.trim(), semester: parseInt(form.semester.value, 10) || 0};
    if (form.since.value) { data.since = form.since.value; }
    if (form.until.value) { data.until = form.until.value; }
    return data;
  }

  /* Waiting for a worker: a bar that moves without a value; exporting: the steps done. */
  function progress(job) {
    if (job.status === "queued") { return VNOT.el("progress", {"aria-label": job.status_label}); }
    if (job.status === "running") {
      var p = VNOT.el("progress", {max: job.steps_total || 1, value: job.steps_done || 0});
      p.textContent = job.steps_done + "/" + job.steps_total;
      return p;
    }
    return null;
  }

  /* A hash on a line of its own that wraps anywhere: 64 hex digits are wider than a phone. */
  function hash(text) { return VNOT.el("code", {"class": "vnot-arc-hash"}, text); }

  function jobItem(job) {
    var li = VNOT.el("li", {"data-job": job.id});
    li.appendChild(VNOT.el("strong", null, "#" + job.id + " " + job.label));
    li.appendChild(document.createTextNode(" — " + job.status_label + " (" + job.requested_by + ", " + job.created + ")"));
    var bar = progress(job);
    if (bar) {
      li.appendChild(bar);
      li.appendChild(VNOT.el("span", {"class": "vnot-arc-step"}, job.step));
    }
    if (job.error) { li.appendChild(VNOT.el("p", {"class": "vnot-error"}, job.error)); }
    if (job.disposed) { li.appendChild(VNOT.el("p", null, VNOT.t("Deleted by a disposal decision; the record of the export is kept."))); }
    if (job.downloadable) {
      var facts = VNOT.el("p", {"class": "vnot-arc-facts"});
      facts.appendChild(VNOT.el("span", null, VNOT.fill(VNOT.t("{records} records, {size} bytes"), {records: job.records, size: job.size})));
      facts.appendChild(VNOT.el("br"));
      facts.appendChild(VNOT.el("span", null, VNOT.t("SHA-256 of the package:") + " "));
      facts.appendChild(hash(job.sha256));
      facts.appendChild(VNOT.el("br"));
      facts.appendChild(VNOT.el("span", null, VNOT.t("Key fingerprint:") + " "));
      facts.appendChild(hash(job.fingerprint));
      facts.appendChild(VNOT.el("br"));
      facts.appendChild(VNOT.el("span", null, VNOT.t("Audit anchor:") + " "));
      facts.appendChild(hash(job.anchor));
      li.appendChild(facts);
      if (args.allowed.indexOf("archive.download") >= 0) {
        li.appendChild(VNOT.el("a", {"class": "vnot-btn", href: urls.download + (urls.download.indexOf("?") >= 0 ? "&" : "?") + "job=" + job.id},
          VNOT.t("Download")));
      }
      if (args.allowed.indexOf("archive.verify") >= 0) {
        li.appendChild(VNOT.el("button", {type: "button", "class": "vnot-btn", "data-act": "verify", "data-job": job.id}, VNOT.t("Verify")));
        /* the result of checking this package, under its own buttons */
        li.appendChild(VNOT.el("p", {"class": "vnot-msg vnot-arc-verify-msg", role: "status", "aria-live": "polite"}));
      }
    }
    return li;
  }

  function draw(jobs) {
    list.textContent = "";
    if (!jobs.length) { list.appendChild(VNOT.el("li", null, VNOT.t("No export yet."))); }
    jobs.forEach(function (job) { list.appendChild(jobItem(job)); });
    var busy = jobs.some(function (j) { return j.status === "queued" || j.status === "running"; });
    clearTimeout(timer);
    if (busy) { timer = setTimeout(poll, 3000); }
  }

  function poll() {
    VNOT.post(urls.jobs, {}).then(function (res) { draw(res.jobs); }, function () { timer = setTimeout(poll, 10000); });
  }

  function send(form, url, data, done) {
    var msg = form.querySelector(".vnot-msg");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    VNOT.say(msg, VNOT.t("Saving…"));
    VNOT.post(url, data).then(function (res) {
      button.disabled = false;
      done(res, msg);
    }, function (err) { button.disabled = false; VNOT.say(msg, err.message, "vnot-error"); });
  }

  var exportForm = box.querySelector(".vnot-arc-export");
  if (exportForm) {
    exportForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      send(exportForm, urls.export, scopeOf(exportForm), function (res, msg) {
        VNOT.say(msg, VNOT.t("The export has started."), "vnot-ok");
        poll();
      });
    });
  }

  var holdForm = box.querySelector(".vnot-arc-hold");
  if (holdForm) {
    holdForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = scopeOf(holdForm);
      data.reason = holdForm.reason.value;
      send(holdForm, urls.hold, data, function (res, msg) {
        VNOT.say(msg, VNOT.t("The legal hold is placed."), "vnot-ok");
        VNOT.reload(box);
      });
    });
  }

  var disposeForm = box.querySelector(".vnot-arc-dispose");
  if (disposeForm) {
    disposeForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var kinds = [];
      disposeForm.querySelectorAll("input[name=record_types]:checked").forEach(function (c) { kinds.push(c.value); });
      var data = {job: parseInt(disposeForm.job.value, 10) || 0, record_types: kinds, reason: disposeForm.reason.value};
      send(disposeForm, urls.dispose, data, function (res, msg) {
        VNOT.say(msg, VNOT.t("The disposal decision is recorded."), "vnot-ok");
        VNOT.reload(box);
      });
    });
  }

  box.addEventListener("click", function (ev) {
    var target = ev.target;
    var act = target.getAttribute && target.getAttribute("data-act");
    if (act === "verify") {
      var verifyMsg = target.parentNode.querySelector(".vnot-arc-verify-msg");
      target.disabled = true;
      VNOT.say(verifyMsg, VNOT.t("Checking the package…"));
      VNOT.post(urls.verify, {job: parseInt(target.getAttribute("data-job"), 10)}).then(function (res) {
        target.disabled = false;
        VNOT.say(verifyMsg, [res.summary].concat(res.problems).join("\n"), res.valid ? "vnot-ok" : "vnot-error");
      }, function (err) { target.disabled = false; VNOT.say(verifyMsg, err.message, "vnot-error"); });
    } else if (act === "release") {
      var reason = root().prompt(VNOT.t("Why is the hold released?"));
      if (!reason) { return; }
      VNOT.post(urls.release, {hold: parseInt(target.getAttribute("data-hold"), 10), reason: reason}).then(function () {
        VNOT.reload(box);
      }, VNOT.onError(holdMsg));
    }
  });

  function root() { return box.ownerDocument.defaultView || window; }

  draw(args.jobs || []);
}
