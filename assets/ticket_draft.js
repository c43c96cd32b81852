// Drafts of the new-ticket form, kept in this browser (issue 9, item 9).
//
// The form (/tickets/new, pages/tickets.py) names whose draft it is (data-draft-owner: an opaque
// name of the account, from the server) and for which closed ticket (data-draft-ref). What is typed
// and chosen is kept in localStorage under that owner, and comes back into the fields when the form
// shows again, once the page's on_load has run (data-draft-ready and the ready marker), so the
// server's own reset of the form cannot undo it. Nothing of the draft travels with Reflex events:
// the category, which the server follows, is chosen again through the select's own change event.
//
// A comment that could not be sent because its ticket was closed meanwhile (assets/unsent_comment.js)
// waits in this tab's sessionStorage under its owner and the ticket's number: the form about that ticket (?ref=)
// takes it into its description once, and keeps it in the draft from then on.
//
// The draft is removed when the ticket is created (the form was sent and the page went on to
// /tickets/<number>), when the fields are emptied, and on Sign out (every draft of this browser,
// and this tab's carried comments, comments being typed and lists' last views).
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const PREFIX = "portal.ticketDraft.";
  const CARRIED = "portal.unsentComment."; // as in assets/unsent_comment.js
  const LIST_VIEW = "portal.listView."; // a list's last view, as in assets/url_sync.js
  const COMMENT = "portal.commentDraft."; // a comment being typed, as in assets/comment_draft.js
  const FIELDS = ["title", "description", "category", "severity", "priority"];
  const LIMITS = { title: 200, description: 20000 };
  const DEFAULTS = { title: "", description: "", category: "", severity: "", priority: "normal" };
  const FORM = "form[data-draft-owner]";
  const SIGN_OUT = "/api/session/end";

  const store = () => {
    try {
      return window.localStorage;
    } catch (_e) {
      return null; // storage blocked: the form works as before, without drafts
    }
  };

  const keyOf = (form) => {
    const owner = form.getAttribute("data-draft-owner") || "";
    return /^[0-9a-f]{16,64}$/.test(owner) ? PREFIX + owner : null;
  };
  const refOf = (form) => form.getAttribute("data-draft-ref") || "0";

  const read = (key) => {
    const s = store();
    if (!s || !key) return null;
    try {
      const draft = JSON.parse(s.getItem(key) || "null");
      return draft && typeof draft === "object" && draft.fields && typeof draft.fields === "object" ? draft : null;
    } catch (_e) {
      return null;
    }
  };
  const remove = (key) => {
    try {
      store()?.removeItem(key);
    } catch (_e) { /* nothing to do */ }
  };
  const removeAll = () => {
    const s = store();
    if (!s) return;
    const keys = [];
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i);
      if (key && key.startsWith(PREFIX)) keys.push(key);
    }
    keys.forEach(remove);
    try {
      const tab = window.sessionStorage;
      Object.keys(tab).filter((key) => key.startsWith(CARRIED) || key.startsWith(LIST_VIEW) || key.startsWith(COMMENT))
        .forEach((key) => tab.removeItem(key));
    } catch (_e) { /* nothing to do */ }
  };

  const field = (form, name) => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement
      ? el : null;
  };

  // a form counts as ready when the page's on_load handlers have all run for this address
  const ready = (form) => {
    if (form.getAttribute("data-draft-ready") !== "1" || !keyOf(form)) return false;
    const marker = document.getElementById("portal-ready");
    const trim = (p) => p.replace(/\/+$/, "");
    return marker !== null && trim(marker.dataset.ready || "-") === trim(location.pathname);
  };

  // --- saving: on every change a person makes ------------------------------------------------------

  const restoring = new WeakSet(); // forms whose draft has been put back (saving waits until then)

  const save = (form) => {
    const key = keyOf(form);
    const s = store();
    if (!key || !s) return;
    const previous = read(key);
    const fields = {};
    for (const name of FIELDS) {
      const el = field(form, name);
      if (el) fields[name] = String(el.value).slice(0, LIMITS[name] || 100);
      // severity is asked only for a bug: a draft keeps it while another category is shown
      else if (previous && previous.ref === refOf(form) && typeof previous.fields[name] === "string") {
        fields[name] = previous.fields[name];
      }
    }
    const empty = FIELDS.every((name) => (fields[name] ?? DEFAULTS[name]) === DEFAULTS[name]
      || (name === "severity" && (fields.category ?? "") !== "bug"));
    if (empty) {
      remove(key);
      return;
    }
    try {
      s.setItem(key, JSON.stringify({ ref: refOf(form), fields, saved: Date.now() }));
    } catch (_e) { /* full or blocked: the form still works */ }
  };

  const touched = new WeakSet(); // fields a person changed since they were shown

  const onEdit = (event) => {
    const el = event.target;
    const form = el && el.closest ? el.closest(FORM) : null;
    if (!form || applying || !FIELDS.includes(el.name)) return;
    touched.add(el);
    pending = null; // typing again after sending: the form is still being worked on
    if (restoring.has(form)) save(form);
  };
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  // --- putting a draft back ---------------------------------------------------------------------------

  const applied = new WeakSet(); // field elements already given their draft value
  let applying = false; // the events of a value put back are not a person's edit

  const setValue = (el, value) => {
    const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
      : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) return;
    applying = true;
    try {
      Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
      // a select the server follows (the category) hears of it the way a person's choice is heard
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    } finally {
      applying = false;
    }
  };

  const restore = (form) => {
    if (!ready(form)) return;
    const draft = read(keyOf(form));
    const fresh = !restoring.has(form);
    restoring.add(form);
    let typedFirst = false;
    for (const name of FIELDS) {
      const el = field(form, name);
      if (!el || applied.has(el)) continue;
      applied.add(el);
      // what a person already typed into this showing of the form wins over the draft
      if (touched.has(el)) {
        typedFirst = true;
        continue;
      }
      const value = draft && draft.ref === refOf(form) ? draft.fields[name] : undefined;
      if (typeof value !== "string" || el.value === value) continue;
      if (!fresh && !(el instanceof HTMLSelectElement) && el.value !== "") continue;
      setValue(el, value);
    }
    if (typedFirst) save(form); // typed before the page was ready: kept from now on too
    carry(form);
  };

  // the unsent comment of the ticket this form is about, added to the description once
  const carry = (form) => {
    const ref = refOf(form);
    const el = field(form, "description");
    if (ref === "0" || !el || !keyOf(form)) return;
    const key = CARRIED + form.getAttribute("data-draft-owner") + "." + ref;
    let text = null;
    try {
      text = window.sessionStorage.getItem(key);
      window.sessionStorage.removeItem(key);
    } catch (_e) {
      return;
    }
    if (!text || el.value.includes(text)) return;
    const before = el.value.replace(/\s+$/, "");
    setValue(el, ((before ? before + "\n\n" : "") + text).slice(0, LIMITS.description));
    save(form);
  };

  // --- the ticket was created: the page went on from the sent form to the ticket -------------------

  let pending = null; // {key, path}: a draft form was sent from `path`

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const action = form.getAttribute("action") || "";
    if (action === SIGN_OUT || action.endsWith(SIGN_OUT)) {
      removeAll(); // Sign out: nothing typed stays behind for the next person on this browser
      return;
    }
    if (form.matches(FORM) && keyOf(form)) {
      save(form);
      pending = { key: keyOf(form), path: location.pathname };
    }
  }, true);

  const settle = () => {
    if (!pending || location.pathname === pending.path) return;
    // a refused form stays where it is; only a created ticket leads to /tickets/<number>
    if (/^\/tickets\/\d+\/?$/.test(location.pathname)) remove(pending.key);
    pending = null;
  };

  // --- watching the page -----------------------------------------------------------------------------

  let scheduled = false;
  const check = () => {
    scheduled = false;
    settle();
    document.querySelectorAll(FORM).forEach(restore);
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      window.setTimeout(check, 30);
    }
  };
  // The page may leave /tickets/<number> again before a scheduled check runs (a link clicked at once,
  // an address typed, a reload): whether the ticket was created is decided the moment the address
  // changes, and when the page goes away. Otherwise the sent draft stayed and came back into the
  // next new-ticket form, where it was mixed with what was typed there.
  const watchAddress = () => {
    for (const method of ["pushState", "replaceState"]) {
      const original = window.history[method];
      window.history[method] = function (...args) {
        const result = original.apply(this, args);
        settle();
        return result;
      };
    }
    window.addEventListener("popstate", settle);
    window.addEventListener("pagehide", settle);
  };

  const start = () => {
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["data-ready", "data-draft-ready", "data-draft-owner", "data-draft-ref"],
    });
    window.addEventListener("popstate", schedule);
    watchAddress();
    schedule();
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
