// <BrowserCookie name="portal_lang" value={code} maxAge={seconds}/>: stores `value` in the browser's
// cookie `name` (for `maxAge` seconds, a year by default; the whole site) whenever it changes to a
// non-empty value; draws nothing. The language a
// visitor chooses is kept this way rather than as Reflex's rx.Cookie, which sends every tracked
// cookie back as one more event on each page navigation (portal_app/components/browser_cookie.py).
import { useEffect } from "react";

export function BrowserCookie({ name, value, maxAge = 31536000 }) {
  useEffect(() => {
    if (!name || !value) return;
    const secure = window.location.protocol === "https:" ? "; secure" : "";
    document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${maxAge}; samesite=lax${secure}`;
  }, [name, value, maxAge]);
  return null;
}
