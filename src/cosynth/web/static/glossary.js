// Escape hides a glossary tooltip without moving the pointer or the focus (WCAG 2.2, 1.4.13);
// it shows again the next time the word is pointed at or reached with Tab.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".term:hover, .term:focus-within").forEach((term) => {
    term.classList.add("tip-dismissed");
  });
});
// mouseleave does not bubble, so listen while it is captured on its way down.
document.addEventListener("mouseleave", (event) => {
  if (event.target instanceof Element && event.target.matches(".term")) {
    event.target.classList.remove("tip-dismissed");
  }
}, true);
document.addEventListener("focusout", (event) => {
  const term = event.target instanceof Element ? event.target.closest(".term") : null;
  if (term) term.classList.remove("tip-dismissed");
});
