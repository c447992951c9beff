// On a phone, panels marked data-fold-on-phone (a list's filters, a resolution's subjects) fold into
// their one-line summary. Without JavaScript they stay open; a form with an error stays open too.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 40rem)").matches) return;
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (panel) {
    if (!panel.querySelector(".field-error")) panel.open = false;
  });
})();
