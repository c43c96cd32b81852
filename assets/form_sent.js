// When a form of the page was last sent (window.__portalFormSentAt, ms): a success message that
// appears soon after is brought into view (components/forms.py `notice`), one that follows a click
// elsewhere (a check-in box in a table) is not, so the page does not jump away from the table.
document.addEventListener("submit", function () {
  window.__portalFormSentAt = Date.now();
}, true);
