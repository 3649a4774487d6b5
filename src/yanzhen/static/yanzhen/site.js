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
