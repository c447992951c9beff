// A list's filter form folds into its one-line summary on a phone (it stays open without JavaScript,
// and when a filter could not be used, so that its error shows).
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 40rem)").matches) return;
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (panel) {
    if (!panel.querySelector(".field-error")) panel.open = false;
  });
})();
