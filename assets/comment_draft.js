// <CommentDraft ticket={number} formKey={key} open={canComment}/>: what is typed in a ticket's comment
// box is kept in this tab's sessionStorage under the ticket's number, so a reload (or leaving the page
// and coming back) brings it back, as the "New ticket" form keeps its draft (assets/ticket_draft.js).
// It is forgotten when the form is sent; a refused comment, which the server puts back in the box,
// is kept again. The box is drawn anew with each `formKey` (a load, a sent or refused comment): each
// new box empty while a draft is kept gets it back. A ticket that takes no comments any more forgets
// its draft (one being typed when it was closed elsewhere goes on to assets/unsent_comment.js).
// Sign out forgets every draft of the tab (assets/ticket_draft.js); each is kept under its `owner` (an
// opaque name of the account), so a session ended elsewhere (another tab's Sign out, an expiry) leaves
// it to its own account only: another person signing in on this tab never gets it. Draws nothing
// (portal_app/components/comment_draft.py).
import { useLayoutEffect } from "react";

export const COMMENT_DRAFT = "portal.commentDraft.";
const BOX = "ticket-comment";

const tabStore = () => {
  try {
    return window.sessionStorage;
  } catch (_e) {
    return null; // storage blocked: the box works as before, without drafts
  }
};

export function CommentDraft({ ticket, formKey, open, owner }) {
  useLayoutEffect(() => {
    const store = tabStore();
    if (!store || !ticket || !/^[0-9a-f]{16,64}$/.test(owner || "")) return undefined;
    const key = COMMENT_DRAFT + owner + "." + String(ticket);
    const keep = (text) => {
      try {
        if (text.trim()) store.setItem(key, text);
        else store.removeItem(key);
      } catch (_e) { /* full or blocked: nothing kept */ }
    };
    const box = document.getElementById(BOX);
    if (!box) {
      if (!open) keep(""); // closed, or no comments for this viewer: nothing to come back to
      return undefined;
    }
    const kept = store.getItem(key) || "";
    if (box.value.trim()) keep(box.value); // the server put a refused comment back
    else if (kept) box.value = kept;
    const onInput = () => keep(box.value);
    const form = box.form;
    const onSubmit = () => keep("");
    box.addEventListener("input", onInput);
    if (form) form.addEventListener("submit", onSubmit);
    return () => {
      box.removeEventListener("input", onInput);
      if (form) form.removeEventListener("submit", onSubmit);
    };
  }, [ticket, formKey, open, owner]);
  return null;
}
