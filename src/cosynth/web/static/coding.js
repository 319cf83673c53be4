// Coding by selection (progressive enhancement): words selected with the mouse in one passage
// ([data-passage]) fill the coding form's excerpt, where they are, and their place in the
// passage's own text (start and end, in characters, end exclusive). Without this script the
// form still codes the words pasted into the excerpt box (services.coding.code_excerpt).
(() => {
  const form = document.getElementById("coding-form");
  if (!form) return;
  const excerpt = document.getElementById("coding-excerpt");
  const where = document.getElementById("coding-where");
  const start = document.getElementById("coding-start");
  const end = document.getElementById("coding-end");
  const status = document.getElementById("selection-status");

  // The number of characters of `passage`'s text before (node, offset).
  const offsetIn = (passage, node, offset) => {
    const range = document.createRange();
    range.selectNodeContents(passage);
    range.setEnd(node, offset);
    return range.toString().length;
  };

  const passageOf = (node) => {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest("[data-passage]") : null;
  };

  const take = () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const passage = passageOf(range.startContainer);
    if (!passage) return;
    if (passage !== passageOf(range.endContainer)) {
      status.textContent = status.dataset.onePassage;
      return;
    }
    const from = offsetIn(passage, range.startContainer, range.startOffset);
    const to = offsetIn(passage, range.endContainer, range.endOffset);
    const words = passage.textContent.slice(from, to);
    if (!words.trim()) return;
    start.value = String(from);
    end.value = String(to);
    excerpt.value = words;
    where.value = passage.dataset.passage;
    // The page's words, in the reader's language (the template translates them).
    status.textContent = status.dataset.selected
      .replace("{n}", String(words.length))
      .replace("{where}", passage.dataset.label);
  };

  document.addEventListener("mouseup", () => window.setTimeout(take, 0));
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey) take(); // a selection made with Shift and the arrow keys
  });
  // Words changed by hand, or another place chosen, are found by the services instead.
  const forget = () => {
    start.value = "";
    end.value = "";
  };
  excerpt.addEventListener("input", forget);
  where.addEventListener("change", forget);
})();
