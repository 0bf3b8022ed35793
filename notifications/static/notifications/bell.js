// The bell in the top bar: its unread count follows /ws/notifications/.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var bell = document.querySelector("[data-bell]");
  if (!bell || !window.WebSocket) return;
  var count = bell.querySelector("[data-bell-count]"), delay = 1000, lastId = 0;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + bell.dataset.socket + "?last_id=" + lastId);
    ws.onopen = function () { delay = 1000; };
    ws.onmessage = function (e) {
      var frame = JSON.parse(e.data);
      if (frame.type === "notification" && frame.notification) lastId = Math.max(lastId, frame.notification.id);
      if (frame.type === "unread") { count.textContent = frame.count; count.classList.toggle("empty", !frame.count); }
    };
    ws.onclose = function (e) {
      if (e.code === 4401 || e.code === 4403) return;
      setTimeout(connect, delay); delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
});
