// Behaviour every page shares, as a file: the CSP allows no inline script.
// Elements opt in by data attributes; HTMX re-runs this on swapped content.
"use strict";
(function () {
  function init(root) {
    // A menu that takes effect when changed (language, agency).
    root.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      if (select.dataset.bound) return; select.dataset.bound = "1";
      select.addEventListener("change", function () { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); });
    });
    // Irreversible acts ask first: <button data-confirm="#dialog-id"> opens that <dialog>;
    // the dialog's own form is what is submitted.
    root.querySelectorAll("[data-open-dialog]").forEach(function (button) {
      if (button.dataset.bound) return; button.dataset.bound = "1";
      button.addEventListener("click", function (event) {
        var dialog = document.querySelector(button.dataset.openDialog);
        if (dialog && dialog.showModal) { event.preventDefault(); dialog.showModal(); }
      });
    });
    root.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      if (button.dataset.bound) return; button.dataset.bound = "1";
      button.addEventListener("click", function (event) {
        var dialog = button.closest("dialog"); if (dialog) { event.preventDefault(); dialog.close(); }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    var toggle = document.querySelector("[data-nav-toggle]"), nav = document.getElementById("sidenav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open"); toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Close an open user menu when clicking elsewhere.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) menu.removeAttribute("open");
      });
    });
  });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
  // A dialog whose form was sent by HTMX closes once the answer is in.
  document.addEventListener("htmx:afterRequest", function (event) {
    var dialog = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("dialog[open]");
    if (dialog && event.detail.successful && !event.detail.elt.querySelector(".errorlist")) dialog.close();
  });
})();
