// Sorts a table with class "sortable" when one of its headers is clicked. It reads the cells' text (or their
// data-sort value) and moves rows; it never writes markup, so nothing in a cell is ever parsed as HTML.
"use strict";
(function () {
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    return numeric ? parseFloat(v) : v;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var rows = Array.prototype.map.call(body.rows, function (row, i) {
          return { row: row, key: key(row, col, numeric), i: i };
        });
        rows.sort(function (a, b) {
          var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
          return (ascending ? c : -c) || a.i - b.i;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(r.row); });
        body.appendChild(fragment);
      });
    });
  });
})();
