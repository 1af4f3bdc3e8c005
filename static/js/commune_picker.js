/*
 * The communes step: a long list of boxes becomes searchable. Without this script the boxes stay
 * in a box that scrolls (the form works the same); with it, a search field filters them as one
 * types (accents and case ignored), Enter ticks the only match left, and a live line says what is
 * chosen ("Pas encore choisi" when nothing is).
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(list, index) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]")).map(function (box) {
      var label = box.closest("label");
      return { box: box, row: label.parentElement, name: label.textContent.trim() };
    });
    var texts = (document.getElementById("commune-picker-texts") || list).dataset;
    var searchId = "commune-search-" + index;

    var wrapper = document.createElement("div");
    wrapper.className = "commune-search";
    var label = document.createElement("label");
    label.htmlFor = searchId;
    label.textContent = texts.searchLabel || "Rechercher une commune";
    var search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.autocomplete = "off";
    search.setAttribute("aria-controls", list.id);
    search.setAttribute("aria-describedby", searchId + "-count");
    var count = document.createElement("p");
    count.id = searchId + "-count";
    count.className = "help";
    count.setAttribute("aria-live", "polite");
    wrapper.append(label, search, count);

    var chosen = document.createElement("p");
    chosen.className = "commune-chosen";
    chosen.setAttribute("aria-live", "polite");
    list.before(wrapper);
    list.after(chosen);

    function showChosen() {
      var names = rows.filter(function (r) { return r.box.checked; }).map(function (r) { return r.name; });
      chosen.textContent = names.length
        ? (texts.chosenLabel || "Communes choisies :") + " " + names.join(", ")
        : (texts.noneLabel || "Pas encore choisi");
    }

    function filter() {
      var wanted = fold(search.value.trim());
      var shown = 0;
      rows.forEach(function (r) {
        var match = !wanted || fold(r.name).indexOf(wanted) !== -1;
        r.row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = wanted ? shown + " " + (shown > 1 ? texts.matchesLabel || "communes correspondent" : texts.matchLabel || "commune correspond") : "";
      return shown;
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault(); // Enter in the search never sends the form
      var visible = rows.filter(function (r) { return !r.row.hidden; });
      if (visible.length === 1) {
        visible[0].box.checked = !visible[0].box.checked;
        search.value = "";
        filter();
        showChosen();
      }
    });
    list.addEventListener("change", showChosen);
    showChosen();
  }

  document.querySelectorAll("div.commune-picker").forEach(enhance);
})();
