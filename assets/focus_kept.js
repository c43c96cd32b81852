// Keyboard focus kept where the person was when React takes away what had it:
// - a dialog opened from the page's state ("Add contact", "Edit", "New company": no Radix trigger)
//   gives focus back, once it closes, to what opened it; Radix gives it to its trigger, and without
//   one it fell to the page's body;
// - a field drawn anew in the same place (the ticket search box, remounted with the search it
//   shows) has it again, found by its id.
// Only when focus was lost with the element (on the body): focus the person moved stays where it is.
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const DIALOG = '[role="dialog"], [role="alertdialog"]';
  let had = null; // what had focus last
  let inDialog = false; // whether that was inside a dialog
  let opener = null; // the last element outside any dialog that had focus

  document.addEventListener("focusin", (event) => {
    had = event.target;
    inDialog = had instanceof Element && had.closest(DIALOG) !== null;
    if (!inDialog) opener = had;
  }, true);

  const lost = () => !document.activeElement || document.activeElement === document.body;

  let queued = false;
  const check = () => {
    queued = false;
    if (!had || had.isConnected || !lost()) return;
    let next = null;
    if (!inDialog) {
      next = had.id ? document.getElementById(had.id) : null;
    } else if (document.querySelector(DIALOG) === null) {
      next = opener && opener.isConnected ? opener : null;
    } else {
      return; // the dialog is still open (its form drawn anew): its own focus trap has it
    }
    had = null; // one try for each loss
    // where it was, so no scroll: a message the form's answer brought into view stays in view
    if (next) next.focus({ preventScroll: true });
  };

  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      queueMicrotask(check);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
