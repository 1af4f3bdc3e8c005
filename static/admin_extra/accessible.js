/* Names for the controls Django's admin adds in JavaScript (portal/admin_pages.py says why):
   - the autocomplete boxes (select2) take the label of the <select> they replace;
   - the search icons of the two-box selectors are images with a name, not bare spans.
   Run once the admin's own scripts have drawn them, and again for each inline row added. */
"use strict";
(function () {
  function labelAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      var box = container && container.querySelector(".select2-selection");
      if (!label || !box) { return; }
      if (!label.id) { label.id = select.id + "_label"; }
      box.setAttribute("aria-labelledby", label.id);
      var shown = box.querySelector(".select2-selection__rendered");
      if (shown) { shown.setAttribute("aria-labelledby", label.id); }
    });
  }
  function nameSearchIcons(root) {
    root.querySelectorAll(".help-tooltip.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  function fix(root) {
    labelAutocompletes(root);
    nameSearchIcons(root);
  }
  // The two-box selectors are drawn by their own "load" listener, registered after this one.
  window.addEventListener("load", function () { window.setTimeout(function () { fix(document); }, 0); });
  document.addEventListener("formset:added", function (event) {
    // Django initialises the new row's widgets in its own listener: name them just after.
    window.setTimeout(function () { fix(event.target); }, 0);
  });
})();
