// A select that acts as soon as its value changes (the language menu: the whole page is drawn again
// in the new language) is marked data-pick-to-apply. On a closed native select the arrow keys change
// the value at once, so a keyboard user passing through the menu would switch the page to each
// language on the way (WCAG 3.2.2). Here those keys open the list instead (showPicker, where the
// browser has it): the value changes only when one is picked (Enter, or a click), as with a mouse.
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

  document.addEventListener("keydown", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-pick-to-apply")) return;
    if (!KEYS.has(event.key) || event.altKey) return; // Alt+Down opens it the browser's own way
    event.preventDefault();
    try {
      select.showPicker();
    } catch (_e) { /* no picker here: Space or Enter opens the list */ }
  }, true);
})();
