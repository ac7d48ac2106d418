// A select or checkbox marked data-autosubmit sends its form when it changes (assign, team,
// language, available). A listener here rather than an inline handler, so the page works under
// the Content-Security-Policy, which runs no inline script.
document.addEventListener("change", function (event) {
  "use strict";
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});
