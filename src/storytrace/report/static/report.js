// storytrace report and viewer: the list filter, the passage highlight, the match file.
// Loaded as a file (the Content-Security-Policy allows no inline script); works from disk.
(function () {
  "use strict";

  // Rows carry their searchable text in data-search; typing hides the rows without it.
  function filterRows(input) {
    var table = document.getElementById(input.dataset.filter);
    if (!table) { return; }
    var needle = input.value.trim().toLowerCase();
    var rows = table.querySelectorAll("tbody tr[data-search]");
    var shown = 0;
    rows.forEach(function (row) {
      var keep = needle === "" || row.dataset.search.indexOf(needle) !== -1;
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    var count = document.getElementById("filter-count");
    if (count) {
      count.textContent = needle === "" ? "" : shown + " of " + rows.length + " shown";
    }
  }

  function setUpFilter(input) {
    input.addEventListener("input", function () { filterRows(input); });
    // From disk there is no server to search: the filter is the search.
    if (document.body.dataset.mode === "static" && input.form) {
      input.form.addEventListener("submit", function (event) {
        event.preventDefault();
        filterRows(input);
      });
    }
  }

  // A passage has the same data-passage number on both sides: light both up together,
  // and a click brings the other side's copy into view.
  function setUpPassages() {
    var marks = document.querySelectorAll("mark.passage[data-passage]");
    function partners(mark) {
      return document.querySelectorAll(
        'mark.passage[data-passage="' + mark.dataset.passage + '"]');
    }
    marks.forEach(function (mark) {
      mark.addEventListener("mouseenter", function () {
        partners(mark).forEach(function (m) { m.classList.add("active"); });
      });
      mark.addEventListener("mouseleave", function () {
        partners(mark).forEach(function (m) { m.classList.remove("active"); });
      });
      mark.addEventListener("click", function () {
        partners(mark).forEach(function (m) {
          if (m !== mark) { m.scrollIntoView({ block: "center", behavior: "smooth" }); }
        });
      });
    });
  }

  // The match page: a file chosen is read into the text box (as UTF-8), to be sent as text.
  function setUpMatchFile() {
    var input = document.getElementById("match-file");
    var box = document.getElementById("match-text");
    if (!input || !box) { return; }
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () { box.value = String(reader.result); };
      reader.readAsText(file);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter]").forEach(setUpFilter);
    setUpPassages();
    setUpMatchFile();
    document.body.dataset.script = "ready";
  });
})();
