// A live preview under each Markdown textarea of the admin: the text as the public pages will show it
// (rendered and sanitised by the server), redrawn a moment after the user stops typing.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  document.querySelectorAll("textarea[data-preview-url]").forEach((area, index) => {
    const preview = document.createElement("section");
    preview.className = "markdown-preview";
    preview.setAttribute("aria-labelledby", `markdown-preview-heading-${index}`);
    const heading = document.createElement("h3");
    heading.id = `markdown-preview-heading-${index}`;
    heading.textContent = "Preview: as the public will see it";
    const shown = document.createElement("div");
    shown.className = "markdown-preview-body";
    preview.append(heading, shown);
    area.after(preview);

    let timer = null;
    let asked = 0;
    const draw = async () => {
      const ask = ++asked;
      const body = new FormData();
      body.append("text", area.value);
      let html;
      try {
        const response = await fetch(area.dataset.previewUrl, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": csrf ? csrf.value : "" },
          credentials: "same-origin",
        });
        html = response.ok ? await response.text() : "<p>The preview could not be made.</p>";
      } catch {
        html = "<p>The preview could not be made.</p>";
      }
      if (ask === asked) {  // an older answer arriving late never replaces a newer one
        shown.innerHTML = area.value.trim() ? html : "<p class=\"markdown-preview-empty\">What you type shows here.</p>";
      }
    };
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(draw, 300);
    });
    draw();
  });
});
