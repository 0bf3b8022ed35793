// The case list: on a tablet the filter bar starts folded (a <details>
// marked data-collapse-below="<px>"), unless a filter needs correcting;
// a filter form marked data-drop-empty sends only the filters that are set,
// so the URL it pushes stays short enough to read and bookmark.
"use strict";
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details[data-collapse-below]").forEach(function (details) {
      var width = parseInt(details.dataset.collapseBelow, 10);
      if (window.innerWidth < width && !details.querySelector(".errorlist")) details.open = false;
    });
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt, params = event.detail.parameters;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-drop-empty") || !params || !params.entries) return;
    var set = {}, names = [];
    Array.from(params.entries()).forEach(function (pair) {
      if (!(pair[0] in set)) { set[pair[0]] = false; names.push(pair[0]); }
      if (pair[1] !== "") set[pair[0]] = true;
    });
    names.forEach(function (name) { if (!set[name]) params.delete(name); });
  });
})();
