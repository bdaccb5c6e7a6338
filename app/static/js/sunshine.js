/* Sunshine Console: small behaviours without inline scripts (the CSP forbids them). */
document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    event.preventDefault();
    window.print();
  }
});
