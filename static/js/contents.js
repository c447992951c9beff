// The table of contents opens where there is room beside the text; on a phone it stays folded
// so that the text comes first (without JavaScript it is folded everywhere, one line high).
document.addEventListener("DOMContentLoaded", () => {
  const contents = document.getElementById("contents");
  if (contents && window.matchMedia("(min-width: 48rem)").matches) {
    contents.open = true;
  }
});
