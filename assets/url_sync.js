// <UrlSync url={address}/>: when `url` changes to an address other than the one shown, puts it in the
// address bar as a new history entry, without navigating (no on_load round trip); draws nothing.
// A list whose view a click changed sends the view's address here (portal_app/components/url_sync.py).
// The value it mounts with is not a click's: it is what the tab's state held from before this page was
// shown (a reload's hydrate, or a link back to the list), an address the page's on_load is about to
// replace; putting it in the address bar would show one view at another's address.
// Back and forward are the browser's: React Router sees the popped address and the page's on_load
// loads it. The entry carries React Router's fields (idx, key) so its history bookkeeping stays whole.
// One case React Router cannot see: back (or forward) onto the very address it last knew, the entries
// in between having been put here behind its back. To it nothing moved, so no on_load would run and
// the page would show the view just left at this address: then it is told, by a navigation to the
// same address in place, which runs the page's on_load. The other side of it: a link to that very
// address (the menu's "Support tickets" on a filtered list) would be taken by React Router as a click
// on the page shown, and replace the filtered view's entry, so Back would skip it; such a click is
// made a navigation of its own here, a new entry.
//
// Each view shown is also remembered for this tab (sessionStorage, by whose view it is and the list's path; cleared on
// Sign out by assets/ticket_draft.js): <ListLink base="/tickets"> ("All tickets" on a ticket's page)
// goes back to the view the list last showed, its filters, search and page, not to the bare list.
import { createElement, useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";

const LIST_VIEW = "portal.listView.";

// kept under whose view it was (the shell marker's data-owner): the next person signing in on this tab
// starts from the bare list, not from the last one's filters and search words
const viewKey = (path) => {
  const owner = document.getElementById("portal-ready")?.dataset.owner || "";
  return owner ? LIST_VIEW + owner + "." + path : null;
};

const remember = (url) => {
  const key = viewKey(new URL(url, window.location.origin).pathname);
  try {
    if (key) window.sessionStorage.setItem(key, url);
  } catch (_e) { /* no storage: the link goes to the bare list */ }
};

export function UrlSync({ url }) {
  const mounted = useRef(false);
  const known = useRef(null);
  known.current = useLocation(); // the address React Router last knew (as of the last render)
  const navigate = useNavigate();

  useEffect(() => {
    const popped = () => {
      const here = window.location.pathname + window.location.search;
      if (here === known.current.pathname + known.current.search) {
        navigate(here + window.location.hash, { replace: true });
      }
    };
    const clicked = (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
          || event.shiftKey || event.altKey || (link.target && link.target !== "_self")
          || link.hasAttribute("download") || link.origin !== window.location.origin) return;
      const to = link.pathname + link.search;
      const here = window.location.pathname + window.location.search;
      if (to !== known.current.pathname + known.current.search || to === here) return;
      event.preventDefault();
      event.stopPropagation(); // not React Router's Link too, which would replace the entry
      navigate(to + link.hash);
    };
    window.addEventListener("popstate", popped);
    document.addEventListener("click", clicked, true);
    return () => {
      window.removeEventListener("popstate", popped);
      document.removeEventListener("click", clicked, true);
    };
  }, [navigate]);

  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    if (!url) return;
    remember(url);
    if (url === window.location.pathname + window.location.search) return;
    const state = window.history.state || {};
    const key = Math.random().toString(36).slice(2, 10);
    window.history.pushState({ ...state, idx: (state.idx ?? 0) + 1, key }, "", url);
  }, [url]);
  return null;
}

export function ListLink({ base, children, ...props }) {
  const [to, setTo] = useState(base); // drawn with the bare list first: the same as the server's page
  useEffect(() => {
    try {
      const key = viewKey(base);
      const saved = key ? window.sessionStorage.getItem(key) : null;
      if (saved && saved.startsWith(base)) setTo(saved);
    } catch (_e) { /* no storage: the bare list */ }
  }, [base]);
  return createElement(Link, { ...props, to }, children);
}
