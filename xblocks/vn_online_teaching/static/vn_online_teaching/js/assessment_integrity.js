/* The decision form of an attempt's integrity report (a page of its own, see
   assessment/integrity_handlers.py): shows the retake's time fields for a retake, posts the
   decision as JSON with the CSRF token, and reloads the page so the decision appears in the
   timeline and the list. The words shown come from the page (data-done, data-failed) and from
   the server's translated error message; nothing here is shown that the page did not translate. */
(function () {
  "use strict";
  var form = document.querySelector("form.decide");
  if (!form) { return; }
  var retake = form.querySelector(".retake");
  var msg = form.querySelector(".msg");
  var button = form.querySelector("button[type=submit]");

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function verdict() {
    var checked = form.querySelector("input[name=verdict]:checked");
    return checked ? checked.value : "";
  }
  function sync() { retake.hidden = verdict() !== "retake"; }
  form.addEventListener("change", sync);
  sync();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = {student: form.getAttribute("data-student"), verdict: verdict(),
                reason: form.elements.reason.value};
    if (data.verdict === "retake") {
      if (form.elements.minutes.value) { data.minutes = parseInt(form.elements.minutes.value, 10); }
      if (form.elements.until_date.value) { data.until_date = form.elements.until_date.value; }
      if (form.elements.until_time.value) { data.until_time = form.elements.until_time.value; }
    }
    button.disabled = true;
    msg.textContent = "";
    fetch(form.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw new Error(body.message || form.getAttribute("data-failed")); }
        msg.textContent = form.getAttribute("data-done");
        window.location.reload();
      });
    }).catch(function (error) {
      msg.textContent = error.message || form.getAttribute("data-failed");
      button.disabled = false;
    });
  });
}());
