// Behaviour every page shares, as a file: the CSP allows no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The language menu takes effect when changed.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
