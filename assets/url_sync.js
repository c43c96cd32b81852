// <UrlSync url={address}/>: when `url` changes to an address other than the one shown, puts it in the
// address bar as a new history entry, without navigating (no on_load round trip); draws nothing.
// A list whose view a click changed sends the view's address here (portal_app/components/url_sync.py).
// Back and forward are the browser's: React Router sees the popped address and the page's on_load
// loads it. The entry carries React Router's fields (idx, key) so its history bookkeeping stays whole.
import { useEffect } from "react";

export function UrlSync({ url }) {
  useEffect(() => {
    if (!url || url === window.location.pathname + window.location.search) return;
    const state = window.history.state || {};
    const key = Math.random().toString(36).slice(2, 10);
    window.history.pushState({ ...state, idx: (state.idx ?? 0) + 1, key }, "", url);
  }, [url]);
  return null;
}
