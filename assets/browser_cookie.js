// <BrowserCookie name="portal_lang" value={code} maxAge={seconds}/>: stores `value` in the browser's
// cookie `name` (for `maxAge` seconds, a year by default; the whole site) whenever it changes to a
// non-empty value; draws nothing. With `gone` true the cookie is removed instead. The language a
// visitor chooses is kept this way rather than as Reflex's rx.Cookie, which sends every tracked
// cookie back as one more event on each page navigation (portal_app/components/browser_cookie.py).
import { useEffect } from "react";

export function BrowserCookie({ name, value, maxAge = 31536000, gone = false }) {
  useEffect(() => {
    if (!name || (!value && !gone)) return;
    const secure = window.location.protocol === "https:" ? "; secure" : "";
    const kept = gone ? "; max-age=0" : `; max-age=${maxAge}`;
    document.cookie = `${name}=${gone ? "" : encodeURIComponent(value)}; path=/${kept}; samesite=lax${secure}`;
  }, [name, value, maxAge, gone]);
  return null;
}
