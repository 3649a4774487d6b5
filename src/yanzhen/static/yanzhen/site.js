/* Behaviour shared by every page, without inline scripts (the Content Security Policy
   allows none): a select marked data-autosubmit submits its form when it changes; the search
   box of a searching select (data-search-only) fetches options and must not, when it loses
   the focus, reload the list whose filter form it sits in. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-search-only]")) {
      event.stopPropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) { field.form.submit(); }
  });
  // A button marked data-disable-on-submit (the import pages) is disabled once its form is
  // submitted, so that a long import is not started twice; its name and value still go along.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!button || !button.matches || !button.matches("[data-disable-on-submit]")) { return; }
    if (button.name) {
      var carry = document.createElement("input");
      carry.type = "hidden";
      carry.name = button.name;
      carry.value = button.value;
      form.appendChild(carry);
    }
    window.setTimeout(function () {
      form.querySelectorAll("[data-disable-on-submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
})();
/* The sidebar: the menu button hides and shows it (on a desktop the choice is remembered in
   localStorage; below 600 px it starts hidden and opens over the page); each group's open or
   closed state is remembered; the group of the current page is always open. Lists become
   cards on a phone: each cell gets its column's header as data-label (site.css shows it). */
(function () {
  "use strict";
  var PHONE = window.matchMedia("(max-width: 600px)");
  var KEY = "yanzhen.sidebar.collapsed";
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* storage refused */ }
  }
  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function labelTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) { return; }
      var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (labels[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[i]); }
        });
      });
    });
  }
  function setup() {
    var body = document.body;
    var button = document.getElementById("menu-toggle");
    var sidebar = document.getElementById("sidebar");
    labelTables(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { labelTables(event.target); });
    // A refusal of an htmx request answers with a short Chinese fragment (errors/fragment.html):
    // show it in place of what was asked for, as htmx does not swap error answers by itself.
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.status >= 400 && xhr.responseText.indexOf("data-error=") !== -1) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    if (!button || !sidebar) {
      if (button) { button.hidden = true; }
      return;
    }
    function shown() {
      return PHONE.matches ? body.classList.contains("sidebar-open") : !body.classList.contains("sidebar-collapsed");
    }
    function sync() { button.setAttribute("aria-expanded", shown() ? "true" : "false"); }
    if (read(KEY) === "1") { body.classList.add("sidebar-collapsed"); }
    sync();
    button.addEventListener("click", function () {
      if (PHONE.matches) {
        body.classList.toggle("sidebar-open");
      } else {
        var collapsed = body.classList.toggle("sidebar-collapsed");
        store(KEY, collapsed ? "1" : "0");
      }
      sync();
    });
    PHONE.addEventListener("change", sync);
    sidebar.querySelectorAll("details[data-menu-group]").forEach(function (details) {
      var key = "yanzhen.menu." + details.querySelector("summary").textContent.trim();
      if (!details.hasAttribute("data-current")) {
        var saved = read(key);
        if (saved !== null) { details.open = saved === "1"; }
      }
      details.addEventListener("toggle", function () { store(key, details.open ? "1" : "0"); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
