// Keyboard shortcuts for the screening form: i include, 1-9 choose a reason then e exclude,
// u unsure, n note.
// Only when focus is not in a text field, so typing a note never votes (WCAG 2.1.4).
(function () {
  "use strict";
  const form = document.getElementById("vote-form");
  if (!form) return;
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT")) return;
    if (event.key === "n") { event.preventDefault(); document.getElementById("note").focus(); return; }
    const reasons = document.getElementById("reason");
    if (reasons && /^[1-9]$/.test(event.key) && Number(event.key) < reasons.options.length) {
      event.preventDefault();
      reasons.selectedIndex = Number(event.key);
      return;
    }
    const button = form.querySelector('button[data-key="' + event.key + '"]');
    if (!button) return;
    event.preventDefault();
    if (event.key === "e") {
      const reason = document.getElementById("reason");
      if (reason && !reason.value) { reason.focus(); return; }
    }
    form.requestSubmit(button);
  });
})();
