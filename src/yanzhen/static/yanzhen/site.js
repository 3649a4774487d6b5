/* Behaviour shared by every page, without inline scripts (the Content Security Policy
   allows none): a select marked data-autosubmit submits its form when it changes. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) { field.form.submit(); }
  });
})();
