// A "Preview" button under each Markdown textarea of the admin: shows the text as the public pages will.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  document.querySelectorAll("textarea[data-preview-url]").forEach((area) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = "Preview";
    const preview = document.createElement("div");
    preview.className = "markdown-preview help";
    preview.setAttribute("aria-live", "polite");
    preview.hidden = true;
    area.after(button, preview);
    button.addEventListener("click", async () => {
      const body = new FormData();
      body.append("text", area.value);
      const response = await fetch(area.dataset.previewUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
      });
      preview.innerHTML = response.ok ? await response.text() : "<p>The preview could not be made.</p>";
      preview.hidden = false;
    });
  });
});
