/* Sunshine Console: small behaviours without inline scripts (the CSP forbids them). */
document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    event.preventDefault();
    window.print();
  }
});

// A form with data-confirm asks before it is sent (closing a petition, a decision...).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
