// Copy buttons for search strings: shown only where the clipboard can be written,
// so that without JavaScript the string is simply selected by hand (progressive
// enhancement; the status line is announced to screen readers, WCAG 4.1.3).
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const id = button.dataset.copy;
      const source = document.getElementById(id);
      const status = document.querySelector(`[data-copied="${id}"]`);
      try {
        await navigator.clipboard.writeText(source.textContent);
        if (status) status.textContent = button.dataset.done;
      } catch {
        if (status) status.textContent = button.dataset.failed;
      }
    });
  }
});
