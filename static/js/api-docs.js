/* The API documentation (templates/api/swagger_ui.html): Swagger UI draws a
   parameter's true/false choice as a <select> with no name. Name each one
   after its parameter, as the parameter's row shows it, whenever Swagger UI
   draws one. */
(function () {
  "use strict";
  function nameSelects(root) {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      select.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
  }
  new MutationObserver(function () {
    nameSelects(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
