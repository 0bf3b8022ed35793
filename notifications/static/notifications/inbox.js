// The inbox page kept live by /ws/notifications/: new notifications are
// added on top, the unread count follows; a lost socket reconnects with
// backoff and resumes from the last id seen. A file, not an inline script:
// the CSP allows scripts from this origin only.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("inbox"), status = document.getElementById("status");
  if (!list) return;
  var lastId = parseInt(list.dataset.lastId, 10) || 0, delay = 1000;
  var texts = {live: list.dataset.textLive, lost: list.dataset.textLost, noAgency: list.dataset.textNoAgency};
  function add(n) {
    var empty = document.getElementById("empty"); if (empty) empty.remove();
    var li = document.createElement("li");
    li.dataset.id = n.id; li.className = "unread";
    li.textContent = n.text + " ";
    var when = document.createElement("small");
    when.textContent = n.created_at.slice(0, 16).replace("T", " "); li.appendChild(when);
    list.insertBefore(li, list.firstChild);
    lastId = n.id;
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + list.dataset.socket + "?last_id=" + lastId);
    ws.onopen = function () { status.textContent = texts.live; delay = 1000; };
    ws.onmessage = function (e) {
      var frame = JSON.parse(e.data);
      if (frame.type === "notification") add(frame.notification);
      if (frame.type === "unread") document.getElementById("unread").textContent = frame.count;
    };
    ws.onclose = function (e) {
      // 4401: the session ended; reloading leads to the sign-in page, which says why.
      if (e.code === 4401) { location.reload(); return; }
      if (e.code === 4403) { status.textContent = texts.noAgency; return; }
      // Anything else: back off, then resume from the last id seen.
      status.textContent = texts.lost; setTimeout(connect, delay); delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
});
