/* Sunshine Console: small behaviours without inline scripts (the CSP forbids them). */
document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    event.preventDefault();
    window.print();
  }
});

/* Forms that matter ask first: ``data-confirm`` on the form, or on the option or radio
   chosen (a return, a rejection, a refusal ask their own question). */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
    return;
  }
  var chosen = form.querySelector("option:checked[data-confirm], input:checked[data-confirm]");
  var question = (chosen || form).getAttribute("data-confirm");
  if (!window.confirm(question)) {
    event.preventDefault();
  }
});
