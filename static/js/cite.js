// "Copy link" and "Cite" beside each paragraph's permalink (templates/includes/_paragraph_tools.html).
// Without JavaScript the permalink is a plain link and its title holds the citation.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  // The words in the interface's language, from <body data-words-…> (templates/base.html).
  const words = document.body.dataset;
  const say = (key, english, values = {}) =>
    Object.entries(values).reduce((text, [name, value]) => text.replace(`{${name}}`, value), words[key] || english);

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Pages served over plain HTTP have no clipboard API: the old way, through a selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function button(label, name) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "tool";
    element.textContent = label;
    element.setAttribute("aria-label", `${label}: ${name}`);
    return element;
  }

  document.querySelectorAll(".paragraph-tools[data-citation]").forEach((tools) => {
    const permalink = tools.querySelector("a.permalink");
    const citation = tools.dataset.citation;
    const status = document.createElement("span");
    status.className = "tool-status";
    status.setAttribute("role", "status");
    const copyLink = button(say("wordsCopyLink", "Copy link"), citation);
    const cite = button(say("wordsCite", "Cite"), citation);

    function offer(text, said) {
      copy(text).then(
        () => { status.textContent = said; },
        () => { status.textContent = say("wordsCopyThis", "Copy this: {text}", { text }); },
      );
    }

    copyLink.addEventListener("click", () => offer(new URL(permalink.getAttribute("href"), window.location.href).href, say("wordsLinkCopied", "Link copied")));
    cite.addEventListener("click", () => offer(citation, say("wordsCopied", "Copied: {citation}", { citation })));
    tools.append(" ", copyLink, " ", cite, " ", status);
  });
});

// "Print" (a link to the print view, ?print=1, without JavaScript) opens the browser's print dialog;
// the print stylesheet lays the page out for paper.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.print-link");
  if (link && typeof window.print === "function") {
    event.preventDefault();
    window.print();
  }
});
