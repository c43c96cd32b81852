// A field with a length limit (maxlength: a title, a name, a comment) says so when it is full, under the
// field: typing or pasting past the limit is otherwise cut by the browser without a word. The words
// come from the page's ready marker (`data-limit-text`, in the reader's language, "{max}" in it), and
// are read out once (a polite live region). The note floats under the field, outside React's tree
// (over the next field's label, for a moment), and goes when the text is shorter again, the field
// loses the focus, or after a few seconds without another key at the limit.
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const TYPES = ["text", "email", "tel", "url", "search"];
  const SHOWN_MS = 6000;
  let note = null;
  let shownFor = null;
  let timer = 0;

  const limited = (el) =>
    (el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && TYPES.includes(el.type))) &&
    el.maxLength > 0 && !el.readOnly && !el.disabled;

  const hide = () => {
    window.clearTimeout(timer);
    if (note) note.remove();
    note = null;
    shownFor = null;
  };

  const show = (el) => {
    const words = document.getElementById("portal-ready")?.dataset.limitText || "";
    if (!words) return;
    if (!note) {
      note = document.createElement("div");
      note.id = "field-limit-note";
      note.setAttribute("role", "status");
      Object.assign(note.style, {
        position: "absolute", zIndex: "20", padding: "2px 8px", borderRadius: "4px", fontSize: "13px",
        background: "var(--amber-3, #fff7c2)", color: "var(--amber-12, #4f3422)",
        border: "1px solid var(--amber-7, #e2a336)",
      });
      document.body.appendChild(note);
    }
    const box = el.getBoundingClientRect();
    const left = Math.max(4, box.left);
    note.style.left = `${left + window.scrollX}px`;
    note.style.maxWidth = `${Math.max(120, document.documentElement.clientWidth - left - 8)}px`; // no sideways scroll
    note.style.top = `${box.bottom + window.scrollY + 2}px`;
    if (shownFor !== el) note.textContent = words.replace("{max}", String(el.maxLength));
    shownFor = el;
    window.clearTimeout(timer);
    timer = window.setTimeout(hide, SHOWN_MS);
  };

  document.addEventListener("input", (e) => {
    const el = e.target;
    if (!limited(el)) return;
    if (el.value.length >= el.maxLength) show(el);
    else if (shownFor === el) hide();
  }, true);
  document.addEventListener("focusout", (e) => {
    if (e.target === shownFor) hide();
  }, true);
})();
