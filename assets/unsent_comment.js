// <UnsentComment armed={closedMeanwhile} note="..." label="..."/>: a customer typing a comment when the
// ticket is closed elsewhere (support, or the customer's other tab) loses the comment box with the
// page's next update, and with it what was typed. This keeps that text and shows it read-only under
// `note`. After every render it notes the comment box then in the page; when a render that says
// "closed meanwhile" (`armed`) has taken that box out, the box's text is kept, and handed on (this tab's
// sessionStorage, under its owner, the shell marker's data-owner, and the ticket's number) to the "New
// ticket" form about this ticket, whose description starts with it (assets/ticket_draft.js).
// A box replaced by a sent comment's fresh one, or closed by this tab's own "Close ticket" (which
// sends the text with it), is never armed. Drawn by portal_app/components/ticket_detail.py.
import { createElement, useLayoutEffect, useRef, useState } from "react";

export const CARRIED = "portal.unsentComment.";

export function UnsentComment({ armed, ticket, note, label }) {
  const box = useRef(null);
  const [kept, setKept] = useState("");
  useLayoutEffect(() => {
    const previous = box.current;
    box.current = document.getElementById("ticket-comment");
    if (armed && previous && !previous.isConnected && previous.value.trim()) {
      setKept(previous.value);
      const owner = document.getElementById("portal-ready")?.dataset.owner || "";
      try {
        if (owner) window.sessionStorage.setItem(CARRIED + owner + "." + String(ticket), previous.value);
      } catch (_e) { /* storage blocked: the text is still shown to copy */ }
    }
    if (!armed && kept) setKept("");
  });
  if (!kept) return null;
  return createElement(
    "div",
    { role: "status", style: { display: "flex", flexDirection: "column", gap: "6px", width: "100%" } },
    createElement("p", { style: { margin: 0, color: "var(--amber-11)", fontSize: "14px" } }, note),
    createElement("textarea", {
      readOnly: true, value: kept, rows: 4, "aria-label": label,
      style: { width: "100%", boxSizing: "border-box", padding: "8px", font: "inherit", fontSize: "14px",
               border: "1px solid var(--gray-7)", borderRadius: "4px", background: "var(--gray-2)" },
    }),
  );
}
