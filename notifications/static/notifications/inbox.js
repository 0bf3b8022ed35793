// The inbox page kept live by the shared socket (socket.js): new
// notifications are added on top (rendered by the server, with their links
// and mark-read buttons), the unread count follows.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("inbox"), status = document.getElementById("status");
  var counter = document.getElementById("unread"), shared = window.casehubNotifications;
  if (!list || !shared) return;
  var texts = {live: list.dataset.textLive, lost: list.dataset.textLost, noAgency: list.dataset.textNoAgency};
  shared.seen(list.dataset.lastId);

  function setCount(n) {
    counter.dataset.count = n;
    counter.textContent = counter.dataset.template.replace("99999", n);
  }
  function addNewer() {
    var top = list.querySelector("[data-id]");
    if (!top) { location.reload(); return; }  // the first one: the page as the server renders it
    fetch(list.dataset.after + top.dataset.id, {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (!html.trim()) return;
        list.insertAdjacentHTML("afterbegin", html);
        if (window.htmx) htmx.process(list);
        list.querySelectorAll("[data-id]").forEach(function (li) { shared.seen(li.dataset.id); });
      });
  }
  shared.subscribe({
    status: function (s) { status.textContent = s === "live" ? texts.live : texts.lost; },
    ended: function (reason) {
      // Signed out: reloading leads to the sign-in page, which says why.
      if (reason === "signed_out") location.reload(); else status.textContent = texts.noAgency;
    },
    unread: setCount,
    notification: function (n) { if (!n.read) setCount((parseInt(counter.dataset.count, 10) || 0) + 1); addNewer(); }
  });
  document.body.addEventListener("notifications:unread", function (event) { setCount(event.detail.count); });
});
