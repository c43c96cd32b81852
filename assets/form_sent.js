// When a form of the page was last sent (window.__portalFormSentAt, ms): a success message that
// appears soon after is brought into view (components/forms.py `notice`), one that follows a click
// elsewhere (a check-in box in a table) is not, so the page does not jump away from the table.
document.addEventListener("submit", function () {
  window.__portalFormSentAt = Date.now();
}, true);

// A form that leaves checking to the server (no_validate: its messages at the fields, in the page's
// language) still cannot send what the browser could not read, a date typed in part: the browser would
// send it as empty, and an optional date would be saved empty without a word. Such a field stops the
// form here (before the app's own handler, which listens below the document) and the browser says why.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.noValidate) return;
  var unreadable = Array.prototype.find.call(form.elements, function (el) {
    return el.validity && el.validity.badInput;
  });
  if (!unreadable) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  unreadable.focus();
  unreadable.reportValidity();
}, true);
