// <KeepTyped inputId="login-email" storageKey="portal_login_email" nextId="login-password"/>: a native
// form post that fails comes back as a new page (/login?error=...), which would show the field empty.
// This keeps what was typed in the tab's sessionStorage when the form is sent, puts it back once when
// the page comes back with an error, and moves the focus to `nextId` (the password), or to the first
// field the address names as missing (an empty email, say). The next showing
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
    const params = new URLSearchParams(window.location.search);
    const refused = params.has("error");
    const next = nextId && document.getElementById(nextId);
    if (kept && !input.value && refused) {
      input.value = kept;
      if (next) next.focus();
    }
    // a field the server names as missing (?field=email,password) takes the focus, the first of them:
    // read from the address, not from the fields' marks, which the page's state draws a moment later
    // (and which may still be the last visit's then)
    const missing = (params.get("field") || "").split(",").filter(Boolean);
    const named = refused && missing.length ? input.form?.elements.namedItem(missing[0]) : null;
    if (named && typeof named.focus === "function") named.focus();
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
