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
})();
