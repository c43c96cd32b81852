// A form sent and refused: keyboard focus goes to its first field marked invalid (aria-invalid, set
// with the message beside it: components/forms.py `field_attrs`), instead of being left on the page's
// body (or a dialog's box) where the button that had it was disabled or drawn anew. Only for a few
// seconds after a form was sent, and only when focus is lost (on the body or the dialog's box) or
// still on a button: focus the person moved on to a field themselves stays where it is.
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const WINDOW_MS = 5000;
  let sentAt = 0;

  const lost = () => {
    const active = document.activeElement;
    // a dialog's own box has it when the form inside was drawn anew (its focus trap keeps it there)
    return !active || active === document.body || active.tagName === "BUTTON" ||
      active.matches('[role="dialog"], [role="alertdialog"]');
  };

  // the fields marked before the form was sent again: their marks are the last answer's, and until
  // this answer comes they would draw the focus (and the page) away from a "Saved." it brings
  let stale = new Set();

  const check = (records) => {
    if (!sentAt || Date.now() - sentAt > WINDOW_MS) return;
    for (const record of records) {
      if (record.attributeName === "aria-invalid") stale.delete(record.target); // marked again by this answer
      // a busy submit button done (components/forms.py `submit_button`): the answer is in, so the marks
      // now on the page are its own, also one left as it was (the same field refused again)
      else if (record.attributeName === "aria-busy" && record.target.getAttribute("aria-busy") === "false") {
        stale.clear();
      }
    }
    const field = [...document.querySelectorAll('[aria-invalid="true"]')].find((f) => !stale.has(f));
    if (!field || !lost()) return;
    sentAt = 0;
    field.focus();
  };

  document.addEventListener("submit", () => {
    sentAt = Date.now();
    stale = new Set(document.querySelectorAll('[aria-invalid="true"]'));
  }, true);
  new MutationObserver(check).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-invalid", "aria-busy"],
  });
})();
