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
// A form sent from a confirmation dialog ("Place order", components/confirm.py `submits`) is said so
// once that dialog has closed and given focus back to its button, which would otherwise take it away.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.noValidate) return;
  var unreadable = Array.prototype.find.call(form.elements, function (el) {
    return el.validity && el.validity.badInput;
  });
  if (!unreadable) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  var say = function () {
    unreadable.focus();
    unreadable.reportValidity();
  };
  var closing = function () { // a dialog open on the page, not the one the form is in
    return Array.prototype.some.call(document.querySelectorAll('[role="dialog"], [role="alertdialog"]'),
      function (dialog) { return !dialog.contains(form); });
  };
  if (!closing()) { say(); return; }
  var since = Date.now();
  var wait = function () {
    if (closing() && Date.now() - since < 2000) window.requestAnimationFrame(wait);
    else window.setTimeout(say, 30); // after the dialog's own focus moves
  };
  window.requestAnimationFrame(wait);
}, true);
