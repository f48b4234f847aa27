// Behaviour of the pages, kept out of the HTML so the Content-Security-Policy allows no inline script.
"use strict";

document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-open-dialog]");
  if (opener) {
    document.getElementById(opener.dataset.openDialog)?.showModal();
    return;
  }
  const closer = event.target.closest("[data-close-dialog]");
  if (closer) {
    closer.closest("dialog")?.close();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // A signing dialog refused by the server is shown again, with the refusal in it.
  document.querySelectorAll("dialog[data-open-on-load]").forEach((dialog) => dialog.showModal());
});
