// The comment form's error summary (GOV.UK's pattern). The page already opens at it (the form's
// address ends in #comment-form) and it is role="alert"; focusing it makes a screen reader start
// there too. A summary link alone scrolls to its field but leaves focus where it was, and puts the
// field's label above the screen's edge; here it focuses the field and shows the label.
// The page works the same without this file.
(function () {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  // After load: arriving at #comment-form moves focus to the page (the form itself cannot take it),
  // and that would undo a focus made any earlier.
  if (document.readyState === "complete") {
    summary.focus();
  } else {
    window.addEventListener("load", function () {
      summary.focus();
    });
  }
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    const label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
