// After a navigation within the app (a menu link, a ticket's link, Back), a screen reader is told the
// new page's title: React Router swaps the page without loading a document, which a screen reader
// does not notice by itself. The title is read out once the page's on_load handlers ran (the ready
// marker, components/shell.py, names the new path), so it names the thing shown ("Ticket 10001: …").
// A filter, a search or a page of a list changes only the query, and is not announced; nor is the
// first page of a tab (a screen reader reads a loaded document itself); the region is put in the
// page empty once the first page is drawn.
// Also on each page shown: on a phone the admin panel's tabs are one row that scrolls sideways
// (components/admin_nav.py), and the page's own tab is brought into view in it.
// Loaded on every page from the document head (portal_app.py): a static file, as the CSP allows.
(() => {
  "use strict";

  const trim = (path) => path.replace(/\/+$/, "") || "/";
  let announced = trim(location.pathname);
  let region = null;

  const live = () => {
    if (!region || !region.isConnected) {
      region = document.createElement("div");
      region.id = "route-announcer";
      region.setAttribute("aria-live", "assertive");
      region.setAttribute("aria-atomic", "true");
      // seen by screen readers only
      Object.assign(region.style, {
        position: "absolute", width: "1px", height: "1px", padding: "0", margin: "-1px", overflow: "hidden",
        clip: "rect(0, 0, 0, 0)", whiteSpace: "nowrap", border: "0",
      });
      document.body.appendChild(region);
    }
    return region;
  };

  let revealed = ""; // the path whose current tab was brought into view
  const revealTab = (here) => {
    if (revealed === here) return;
    revealed = here;
    const tab = document.querySelector('nav a[aria-current="page"]');
    const row = tab && tab.parentElement;
    if (!row || row.scrollWidth <= row.clientWidth) return; // a wide screen: the tabs wrap, all in view
    const at = tab.getBoundingClientRect().left - row.getBoundingClientRect().left;
    row.scrollLeft += at - (row.clientWidth - tab.offsetWidth) / 2; // the row alone scrolls, not the page
  };

  const check = () => {
    const marker = document.getElementById("portal-ready");
    if (!marker) return;
    // the region is there, empty, from the first page on: a screen reader reads what later comes into
    // a live region it already knows, not one added with its text
    live();
    const here = trim(location.pathname);
    if (trim(marker.dataset.ready || "") === here) revealTab(here);
    if (here === announced || trim(marker.dataset.ready || "") !== here) return;
    announced = here;
    // the title is drawn with the page's data, in the same commit or the next frame
    requestAnimationFrame(() => { live().textContent = document.title; });
  };

  const start = () => new MutationObserver(check).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"],
  });
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
