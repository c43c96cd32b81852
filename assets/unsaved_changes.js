// A form marked `data-unsaved-warning="<message>"` (components/forms.py, `WARN_UNSAVED`) asks before
// what was typed in it is lost: a link followed within the app (React Router would swap the page and
// its form without a word), a reload, or the tab closed. "Changed" is what differs from the form as
// drawn (each field's default: the record as it was loaded or last saved); a form being sent is not
// changed until typed in again. A language switch keeps the typing itself (assets/page_language.js),
// so it is not asked about.
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const FORMS = "form[data-unsaved-warning]";
  const IGNORED = ["hidden", "submit", "button", "reset", "file", "image", "password"];

  const fieldChanged = (el) => {
    if (el instanceof HTMLInputElement) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      return !IGNORED.includes(el.type) && el.value !== el.defaultValue;
    }
    if (el instanceof HTMLTextAreaElement) return el.value !== el.defaultValue;
    if (el instanceof HTMLSelectElement) return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
    return false;
  };
  const unsaved = () => Array.from(document.querySelectorAll(FORMS)).find(
    (form) => form.dataset.sending !== "1" && Array.from(form.elements).some(fieldChanged));
  const keepingTyped = () => Date.now() - (window.portalTypedKeptAt || 0) < 5000;

  document.addEventListener("submit", (e) => {
    if (e.target instanceof HTMLFormElement && e.target.matches(FORMS)) e.target.dataset.sending = "1";
  }, true);
  document.addEventListener("input", (e) => {
    const form = e.target && e.target.form;
    if (form && form.dataset.sending) delete form.dataset.sending; // refused, and typed in again
  }, true);

  // a link within the app: React Router's handler listens at the app's root, below the document
  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
    if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
    const to = new URL(link.href, location.href);
    if (to.origin !== location.origin || (to.pathname === location.pathname && to.search === location.search)) return;
    const form = unsaved();
    if (form && !window.confirm(form.dataset.unsavedWarning)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // a reload or the tab closed: the browser asks in its own words
  window.addEventListener("beforeunload", (e) => {
    if (!keepingTyped() && unsaved()) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
