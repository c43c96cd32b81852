// <KeepTyped inputId="login-email" storageKey="portal_login_email" nextId="login-password"/>: a native
// form post that fails comes back as a new page (/login?error=...), which would show the field empty.
// This keeps what was typed in the tab's sessionStorage when the form is sent, puts it back once when
// the page comes back with an error, and moves the focus to `nextId` (the password), or to the first
// field the server marked invalid (an empty email, say). The next showing
// of the page forgets it either way, as does closing the tab. Draws nothing
// (portal_app/components/keep_typed.py).
import { useEffect } from "react";

export function KeepTyped({ inputId, storageKey, nextId }) {
  useEffect(() => {
    const input = document.getElementById(inputId);
    if (!input || !storageKey) return;
    let kept = null;
    try {
      kept = window.sessionStorage.getItem(storageKey);
      window.sessionStorage.removeItem(storageKey);
    } catch (e) {
      return; // storage refused (private mode): the field stays as the browser left it
    }
    const refused = new URLSearchParams(window.location.search).has("error");
    const next = nextId && document.getElementById(nextId);
    if (kept && !input.value && refused) {
      input.value = kept;
      if (next) next.focus();
    }
    // a field the server names (marked aria-invalid once the page's state is in) takes the focus, unless
    // the person has moved it on already: an empty or malformed email, not the password after it
    let watch = null;
    if (refused) {
      const toInvalid = () => {
        const field = document.querySelector('[aria-invalid="true"]');
        if (!field) return false;
        const active = document.activeElement;
        if (!active || active === document.body || active === next) field.focus();
        return true;
      };
      if (!toInvalid()) {
        watch = new MutationObserver(() => { if (toInvalid()) watch.disconnect(); });
        watch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-invalid"] });
        window.setTimeout(() => watch.disconnect(), 5000);
      }
    }
    const form = input.form;
    const keep = () => {
      try {
        window.sessionStorage.setItem(storageKey, input.value);
      } catch (e) {
        // nothing kept: the field comes back empty, as without this
      }
    };
    if (form) form.addEventListener("submit", keep);
    return () => {
      if (form) form.removeEventListener("submit", keep);
      if (watch) watch.disconnect();
    };
  }, [inputId, storageKey, nextId]);
  return null;
}
