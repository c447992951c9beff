// The note form keeps the text of the chosen paragraphs in view: the paragraph autocomplete's choices
// carry each paragraph's text and public address (admin.ParagraphChoicesView); choosing one shows it,
// removing one hides it. Select2 reports both through jQuery events on the select.
// Select2's search box has no label: it is given its field's, each time select2 draws it anew.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // The words in the interface's language, from the template (change_form.html).
  const inView = document.querySelector(".paragraphs-in-view");
  const searchLabel = (inView && inView.dataset.searchLabel) || "Search: {field}";
  document.querySelectorAll("#implementationnote_form select.admin-autocomplete").forEach((field) => {
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    const name = searchLabel.replace("{field}", (label ? label.textContent : field.name).replace(/:\s*$/, "").trim());
    const named = () => {
      field.parentElement.querySelectorAll(".select2-search__field:not([aria-label])").forEach((box) => {
        box.setAttribute("aria-label", name);
      });
    };
    named();
    new MutationObserver(named).observe(field.parentElement, { childList: true, subtree: true });
  });

  const panel = document.querySelector(".paragraphs-in-view");
  const select = document.getElementById("id_paragraphs");
  if (!panel || !select || !window.django || !window.django.jQuery) return;
  const empty = panel.querySelector(".paragraphs-in-view-empty");
  const refresh = () => {
    empty.hidden = panel.querySelector(".paragraph-in-view") !== null;
  };
  django.jQuery(select).on("select2:select", (event) => {
    const data = event.params.data;
    if (!data.paragraph || panel.querySelector(`[data-paragraph="${CSS.escape(data.id)}"]`)) return;
    const section = document.createElement("section");
    section.className = "paragraph-in-view";
    section.dataset.paragraph = data.id;
    const heading = document.createElement("h3");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.text.split(" \u2014 ")[0];
    heading.append(link);
    const text = document.createElement("p");
    text.textContent = data.paragraph;
    section.append(heading, text);
    panel.append(section);
    refresh();
  });
  django.jQuery(select).on("select2:unselect", (event) => {
    const shown = panel.querySelector(`[data-paragraph="${CSS.escape(String(event.params.data.id))}"]`);
    if (shown) shown.remove();
    refresh();
  });
});
