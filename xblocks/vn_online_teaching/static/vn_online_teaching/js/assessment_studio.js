/* periodic_assessment, Studio: the test's settings and blueprint rows, and the question bank
   imported from the teacher's spreadsheet (the report lists every problem with its row). */
function VNOTAssessmentStudio(runtime, element, args) {
  "use strict";
  var root = VNOT.rootOf(element), form = root.querySelector(".vnot-asm-settings");
  var cells = form.querySelector(".vnot-asm-cells"), msg = form.querySelector(".vnot-msg");

  function addRow(cell) {
    cell = cell || {};
    var tr = VNOT.el("tr", {"class": "vnot-asm-cell"});
    var topic = VNOT.el("input", {name: "topic", maxlength: "200", value: cell.topic || ""});
    var count = VNOT.el("input", {name: "count", type: "number", min: "1", max: "100", value: String(cell.count || 1)});
    var points = VNOT.el("input", {name: "points", maxlength: "12", inputmode: "decimal", value: cell.points || ""});
    var remove = VNOT.el("button", {type: "button", "class": "vnot-btn vnot-small"}, VNOT.t("Remove"));
    remove.addEventListener("click", function () { tr.remove(); });
    [topic, VNOT.select(args.levels, cell.level, "level", VNOT.t("Level")),
     VNOT.select(args.formats, cell.format, "format", VNOT.t("Question format")), count, points, remove].forEach(function (x) {
      var td = VNOT.el("td"); td.appendChild(x); tr.appendChild(td);
    });
    cells.appendChild(tr);
  }
  (args.cells || []).forEach(addRow);
  form.querySelector(".vnot-asm-add").addEventListener("click", function () { addRow(); });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = form.elements;
    var rows = Array.prototype.map.call(cells.querySelectorAll("tr"), function (tr) {
      var v = function (n) { return tr.querySelector("[name=" + n + "]").value; };
      return {topic: v("topic"), level: v("level"), format: v("format"), count: parseInt(v("count"), 10) || 0,
              points: v("points").trim()};
    });
    VNOT.saveSettings(runtime, args.saveUrl, {
      display_name: f.display_name.value, class_name: f.class_name.value, subject: f.subject.value,
      opens: f.opens.value, closes: f.closes.value, minutes: parseInt(f.minutes.value, 10) || 0,
      mode: f.mode.value, review: f.review.value, access_code: f.access_code.value,
      clear_code: !!(f.clear_code && f.clear_code.checked), weight: f.weight.value, cells: rows
    }, msg);
  });

  var upload = root.querySelector(".vnot-asm-import"), report = upload.querySelector(".vnot-asm-report");
  upload.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var m = upload.querySelector(".vnot-msg"), file = upload.elements.file.files[0];
    report.textContent = "";
    if (!file) { VNOT.say(m, VNOT.t("Choose the spreadsheet first."), "vnot-error"); return; }
    var data = new FormData();
    data.append("file", file);
    data.append("replace", upload.elements.replace.checked ? "true" : "");
    VNOT.upload(args.importUrl, data, m).then(function (res) {
      VNOT.say(m, VNOT.fill(VNOT.t("Imported. The bank now has {count} questions."), {count: res.questions}), "vnot-ok");
    }, function (err) {
      VNOT.say(m, err.message, "vnot-error");
      var r = err.body && err.body.report;
      (r ? r.problems.concat(r.warnings) : []).forEach(function (p) {
        var where = p.row ? VNOT.fill(VNOT.t("Row {row}"), {row: p.row}) + (p.column ? ", " + p.column : "") + ": " : "";
        report.appendChild(VNOT.el("li", {}, where + p.message));
      });
    });
  });
}
