// <KeepTyped inputId="login-email" storageKey="portal_login_email" nextId="login-password"/>: a native
// form post that fails comes back as a new page (/login?error=...), which would show the field empty.
// This keeps what was typed in the tab's sessionStorage when the form is sent, puts it back once when
// the page comes back with an error, and moves the focus to `nextId` (the password). The next showing
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
    if (kept && !input.value && new URLSearchParams(window.location.search).has("error")) {
      input.value = kept;
      const next = nextId && document.getElementById(nextId);
      if (next) next.focus();
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
    };
  }, [inputId, storageKey, nextId]);
  return null;
}
