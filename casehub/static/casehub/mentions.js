// @mention completion in a note: typing "@" and letters in a
// <textarea data-mentions-url> offers the colleagues who may be mentioned
// (those who can see the case, from the server); arrows choose, Enter or
// Tab inserts "@username ", Escape closes. No inline script (CSP).
"use strict";
(function () {
  // The word being typed after "@" (as notifications/recipients.py reads
  // mentions); "@" must start the text or follow a space or punctuation,
  // so an e-mail address does not open the list.
  var TYPED = /(^|[^\w.\-\u3400-\u9fff])@([\w.\-\u3400-\u9fff]{0,64})$/;
  var counter = 0;

  function attach(area) {
    if (area.dataset.mentionsBound) return;
    area.dataset.mentionsBound = "1";
    var id = "mentions-" + (++counter);
    var list = document.createElement("ul");
    list.id = id; list.className = "mention-list"; list.setAttribute("role", "listbox"); list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("role", "combobox");
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", id);
    area.setAttribute("aria-expanded", "false");
    var people = [], active = -1, start = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true; list.innerHTML = ""; people = []; active = -1; start = -1;
      area.setAttribute("aria-expanded", "false"); area.removeAttribute("aria-activedescendant");
    }
    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && list.children[index]) area.setAttribute("aria-activedescendant", list.children[index].id);
    }
    function show(results) {
      list.innerHTML = ""; people = results;
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "mention-none"; none.textContent = area.dataset.mentionsNone || "";
        list.appendChild(none); list.hidden = false; active = -1;
        area.setAttribute("aria-expanded", "true");
        return;
      }
      results.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = id + "-" + i; item.setAttribute("role", "option");
        var name = document.createElement("strong"); name.textContent = person.name;
        var user = document.createElement("span"); user.textContent = "@" + person.username;
        item.appendChild(name); item.appendChild(user);
        // mousedown, not click: the textarea must keep its focus and caret.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      list.hidden = false; area.setAttribute("aria-expanded", "true"); mark(0);
    }
    function choose(index) {
      var person = people[index];
      if (!person || start < 0) return close();
      var caret = area.selectionStart, text = area.value, insert = "@" + person.username + " ";
      area.value = text.slice(0, start) + insert + text.slice(caret);
      var at = start + insert.length;
      area.setSelectionRange(at, at);
      close();
      area.focus();
    }
    function lookup() {
      var before = area.value.slice(0, area.selectionStart);
      var match = TYPED.exec(before);
      if (!match) return close();
      start = before.length - match[2].length - 1;
      var ticket = ++asked;
      var url = area.dataset.mentionsUrl + "?q=" + encodeURIComponent(match[2]);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === asked && start >= 0) show(data.results || []); })
        .catch(close);
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 150); });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" && people.length) { event.preventDefault(); mark((active + 1) % people.length); }
      else if (event.key === "ArrowUp" && people.length) { event.preventDefault(); mark((active - 1 + people.length) % people.length); }
      else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    area.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function init(root) {
    if (root.matches && root.matches("textarea[data-mentions-url]")) attach(root);
    root.querySelectorAll && root.querySelectorAll("textarea[data-mentions-url]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
  // A textarea swapped in by HTMX is bound only once htmx settles it; typing
  // in the meantime binds it on the first keystroke (capture phase: its own
  // listener, added here, still hears this very event).
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area.matches && area.matches("textarea[data-mentions-url]")) attach(area);
  }, true);
})();
