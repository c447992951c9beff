// The export page's "Select all" box, wired here rather than by an inline onchange (refused by the CSP).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((box) => {
    box.addEventListener("change", (event) => onSelectToggleChange(event));
  });
});
