// followup's only script of its own (the CSP allows no inline script): the CSRF header for htmx
// requests and dragging pipeline cards between stages. Every action also works without it.
(function () {
  "use strict";
  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token();
  });

  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card[data-id]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
  });
  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest && event.target.closest(".column[data-stage]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".column[data-stage]");
    if (!dragged || !column) return;
    event.preventDefault();
    var form = dragged.querySelector("form.move");
    var select = form && form.querySelector("select[name=stage]");
    if (select && select.value !== column.dataset.stage) {
      select.value = column.dataset.stage;
      form.requestSubmit();
    }
    dragged = null;
  });
})();
