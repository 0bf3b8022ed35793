// Evidence upload with a progress bar: a <form data-upload> is sent by
// XMLHttpRequest so its upload progress fills the form's <progress>; the
// answer (the file list and the form, with its errors if refused) replaces
// data-upload-target. Without script the form is a plain multipart POST.
"use strict";
(function () {
  function bind(form) {
    if (form.dataset.uploadBound || !window.FormData || !window.XMLHttpRequest) return;
    form.dataset.uploadBound = "1";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = form.querySelector("[data-upload-progress]");
      var bar = box && box.querySelector("progress");
      var percent = box && box.querySelector("[data-upload-percent]");
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      // The server answers an HTMX request with the tab's body only.
      xhr.setRequestHeader("HX-Request", "true");
      xhr.setRequestHeader("HX-Target", (form.dataset.uploadTarget || "").replace(/^#/, ""));
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !bar) return;
        var done = Math.round(e.loaded / e.total * 100);
        bar.value = done; if (percent) percent.textContent = done + "%";
      });
      xhr.addEventListener("load", function () {
        var target = document.querySelector(form.dataset.uploadTarget);
        var type = xhr.getResponseHeader("Content-Type") || "";
        // A refusal comes back as the form with its errors (400); anything
        // else that is not our fragment (a 413, a 500) is a failure.
        if (target && type.indexOf("text/html") === 0 && (xhr.status === 200 || xhr.status === 400)
            && xhr.responseText.indexOf('id="evidence-body"') !== -1) {
          var holder = document.createElement("div");
          holder.innerHTML = xhr.responseText;
          var fresh = holder.firstElementChild;
          target.replaceWith(fresh);
          if (window.htmx) window.htmx.process(fresh);
          bind(fresh.querySelector("form[data-upload]") || document.createElement("form"));
          var focus = fresh.querySelector("[aria-invalid=true]") || fresh.querySelector(".just-added");
          if (focus) { if (!focus.hasAttribute("tabindex") && !focus.matches("input")) focus.setAttribute("tabindex", "-1"); focus.focus(); }
        } else { failed(); }
      });
      xhr.addEventListener("error", failed);
      function failed() {
        if (box) box.hidden = true;
        if (button) button.disabled = false;
        var summary = form.querySelector(".form-summary") || document.createElement("div");
        summary.className = "form-summary"; summary.setAttribute("role", "alert");
        summary.textContent = form.dataset.uploadFailed || "Upload failed";
        if (!summary.parentNode) form.insertBefore(summary, form.firstElementChild);
      }
      if (box) box.hidden = false;
      if (button) button.disabled = true;
      xhr.send(new FormData(form));
    });
  }
  function init(root) { root.querySelectorAll && root.querySelectorAll("form[data-upload]").forEach(bind); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
