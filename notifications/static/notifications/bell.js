// The bell in the top bar: the unread count kept live by the shared socket
// (socket.js); Enter or a click opens a panel of the latest notifications
// (a fragment from /notifications/latest/), each linking to its object and
// marked read by HTMX posts; new notifications are added on top. Escape,
// a click elsewhere or the bell again closes it, and focus returns to the bell.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var bell = document.querySelector("[data-bell]");
  if (!bell) return;
  var button = bell.querySelector("[data-bell-button]"), panel = bell.querySelector("[data-bell-panel]");
  var body = panel.querySelector("[data-bell-body]"), count = bell.querySelector("[data-bell-count]");
  var shared = window.casehubNotifications, loaded = false, loading = null, unread = parseInt(count.textContent, 10) || 0;

  function setCount(n) {
    unread = Math.max(0, n);
    count.textContent = unread;
    count.classList.toggle("empty", !unread);
    button.setAttribute("aria-label", unread ? button.dataset.labelUnread.replace("99999", unread) : button.dataset.label);
    var text = body.querySelector("[data-unread-text]");
    if (text) text.textContent = text.dataset.template.replace("99999", unread);
  }
  function markSeen(root) {
    root.querySelectorAll("[data-id]").forEach(function (li) { shared.seen(li.dataset.id); });
  }
  function load() {
    if (loading) return loading;
    loading = fetch(panel.dataset.url, {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        body.innerHTML = html;
        if (window.htmx) htmx.process(body);
        markSeen(body); loaded = true;
        // The panel's count is the server's, as of now (a push may still be on its way).
        var text = body.querySelector("[data-unread]");
        if (text) setCount(parseInt(text.dataset.unread, 10) || 0);
      })
      .catch(function () { loaded = false; })
      .then(function () { loading = null; });
    return loading;
  }
  function isOpen() { return !panel.hidden; }
  function open() {
    panel.hidden = false; button.setAttribute("aria-expanded", "true");
    // Fresh each time it opens; focus moves into the panel.
    load().then(function () {
      var first = panel.querySelector(".notice a, .notice button, .bell-foot a");
      (first || panel).focus();
    });
    panel.focus();
  }
  function close(focusBell) {
    if (!isOpen()) return;
    panel.hidden = true; button.setAttribute("aria-expanded", "false");
    if (focusBell) button.focus();
  }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    if (isOpen()) close(true); else open();
  });
  button.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); button.click(); }  // role=button: Space too
  });
  bell.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) { event.preventDefault(); close(true); }
  });
  document.addEventListener("click", function (event) { if (!bell.contains(event.target)) close(false); });
  bell.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !bell.contains(event.relatedTarget)) close(false);
  });

  // What arrives over the socket: the count, and new items on top of a loaded panel.
  function addNewer() {
    var list = body.querySelector("[data-notices]");
    if (!loaded || !list) return;
    var top = list.querySelector("[data-id]");
    if (!top) { load(); return; }
    fetch(list.dataset.after + top.dataset.id, {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (!html.trim()) return;
        var empty = list.querySelector("[data-empty]"); if (empty) empty.remove();
        list.insertAdjacentHTML("afterbegin", html);
        if (window.htmx) htmx.process(list);
        markSeen(list);
      });
  }
  shared.subscribe({
    unread: setCount,
    notification: function (n) { if (!n.read) setCount(unread + 1); addNewer(); }
  });
  // After marking read in the panel, focus stays in it (the item was replaced).
  body.addEventListener("htmx:afterSwap", function () { if (isOpen() && !panel.contains(document.activeElement)) panel.focus(); });
  // Marking read (here or on the inbox page) answers with the new count.
  document.body.addEventListener("notifications:unread", function (event) { setCount(event.detail.count); });
  shared.start(bell.dataset.socket);
});
