// <PageLanguage lang={code} hydrated={loaded}/>: the page's <html lang> follows the language shown,
// so screen readers read Finnish text as Finnish (the prerendered page says "en"); draws nothing.
//
// It also puts back what was typed when the language was changed: the language menu keeps the
// page's typed fields in the tab's sessionStorage (`keepTypedFields`, run before its event), the
// page loads again in the new language (its forms made anew, empty), and for a few seconds every
// field found at its default again gets its text back. Passwords, hidden fields and files are never
// kept.
import { useEffect } from "react";

const KEY = "portal-typed-fields";
const TYPES = ["text", "email", "tel", "url", "search", "number", "date", "datetime-local", "time", "month"];
const RESTORE_MS = 4000;

function fieldsOf(root) {
  const seen = new Map();
  const found = [];
  root.querySelectorAll("input, textarea").forEach((el) => {
    if (el.tagName === "INPUT" && !TYPES.includes((el.type || "text").toLowerCase())) return;
    const base = el.id ? `#${el.id}` : el.name ? `@${el.name}` : "";
    if (!base) return;
    const n = seen.get(base) || 0;
    seen.set(base, n + 1);
    found.push([`${base}|${n}`, el]);
  });
  return found;
}

export function keepTypedFields() {
  window.portalTypedKeptAt = Date.now(); // the typing goes with the page: not to be asked about (unsaved_changes.js)
  try {
    const main = document.getElementById("main");
    if (!main) return;
    const typed = fieldsOf(main)
      .filter(([, el]) => !el.disabled && !el.readOnly && el.value !== el.defaultValue)
      .map(([key, el]) => [key, el.value]);
    if (typed.length) {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, at: Date.now(), typed }));
    }
  } catch (e) {
    // no storage (private mode): nothing kept
  }
}

function putBack(el, value) {
  const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

function restoreTyped() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch (e) {
    saved = null;
  }
  if (!saved || saved.path !== location.pathname || Date.now() - saved.at > RESTORE_MS) return null;
  const wanted = new Map(saved.typed);
  const timer = setInterval(() => {
    const main = document.getElementById("main");
    if (!main) return;
    for (const [key, el] of fieldsOf(main)) {
      const value = wanted.get(key);
      // a field at its default again: the form was made anew; one the user typed in since stays
      if (value !== undefined && el.value === el.defaultValue && el.value !== value) putBack(el, value);
    }
  }, 100);
  const stop = setTimeout(() => {
    clearInterval(timer);
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing to remove */ }
  }, RESTORE_MS);
  return () => { clearInterval(timer); clearTimeout(stop); };
}

export function PageLanguage({ lang, hydrated }) {
  useEffect(() => {
    if (lang) document.documentElement.lang = lang;
    return restoreTyped() || undefined;
  }, [lang]);
  // the page was hidden until drawn in the visitor's language (LANGUAGE_PENDING_HEAD): now it is,
  // or the page has loaded in the language the server chose
  useEffect(() => {
    const root = document.documentElement;
    const wanted = root.getAttribute("data-lang-pending");
    if (wanted && (lang === wanted || hydrated)) root.removeAttribute("data-lang-pending");
  }, [lang, hydrated]);
  return null;
}
