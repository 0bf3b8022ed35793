// One socket to /ws/notifications/ per page, shared by the bell (bell.js)
// and the inbox page (inbox.js): it resumes from the last notification id
// seen (?last_id=N, the consumer replays what was missed), reconnects with
// back-off (1 s doubling to 30 s), and tells its subscribers what arrives.
// Protocol: notifications/consumer.py. A file, not an inline script: the
// CSP allows scripts from this origin only.
"use strict";
window.casehubNotifications = window.casehubNotifications || (function () {
  var subscribers = [], lastId = 0, delay = 1000, url = null, socket = null, timer = null, ended = false;

  function emit(name, value) {
    subscribers.forEach(function (s) { if (s[name]) s[name](value); });
  }
  function seen(id) {
    id = parseInt(id, 10);
    if (id > lastId) lastId = id;
  }
  function connect() {
    timer = null;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    // Without an id seen, live from now (the unread count comes first);
    // with one, the consumer replays everything after it.
    socket = new WebSocket(scheme + location.host + url + (lastId ? "?last_id=" + lastId : ""));
    socket.onopen = function () { delay = 1000; emit("status", "live"); };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "notification" && frame.notification) {
        var fresh = frame.notification.id > lastId;
        seen(frame.notification.id);
        if (fresh) emit("notification", frame.notification);
      } else if (frame.type === "unread") {
        emit("unread", frame.count);
      }
    };
    socket.onclose = function (event) {
      socket = null;
      // 4401: the session ended (signing in again says why); 4403: no agency any more.
      if (event.code === 4401 || event.code === 4403) {
        ended = true; emit("ended", event.code === 4401 ? "signed_out" : "no_agency"); return;
      }
      emit("status", "lost");
      timer = setTimeout(connect, delay); delay = Math.min(delay * 2, 30000);
    };
  }
  return {
    // handlers: {notification(n), unread(count), status("live"|"lost"), ended(reason)}
    subscribe: function (handlers) { subscribers.push(handlers); },
    // Ids the page already shows: a reconnect resumes after them.
    seen: seen,
    start: function (socketUrl) {
      if (url || !window.WebSocket) return;
      url = socketUrl;
      // After every script's DOMContentLoaded handler: each may say what it has seen first.
      setTimeout(connect, 0);
    },
    get ended() { return ended; }
  };
})();
