// Accessible names for Django admin controls that have none (WCAG 2.2
// 1.3.1 and 4.1.2), loaded by templates/admin/base_site.html:
//
// - a field in a tabular inline shows its name only as the column header:
//   it gets aria-label from that header (the field's verbose name);
// - an autocomplete box (select2) replaces a labelled <select> with a
//   combobox and a search field of its own: both get the select's name,
//   and its "clear all" cross, inside the list of choices, is a list item.
//
// Inline rows are added and select2 redraws its boxes after the page has
// loaded, so names are given again whenever the page changes.
(function () {
  "use strict";

  function textOf(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".help, .help-tooltip, img, .required").forEach(function (e) {
      e.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function hasName(control) {
    if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) {
      return true;
    }
    return Boolean(control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]'));
  }

  function columnHeader(cell) {
    var table = cell.closest("table");
    if (!table || !table.tHead) {
      return null;
    }
    var index = Array.prototype.indexOf.call(cell.parentElement.children, cell);
    var headers = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i += 1) {
        headers.push(th);
      }
    });
    return headers[index] || null;
  }

  function nameOfSelect(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    var label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    return label ? textOf(label) : "";
  }

  function nameInlineFields(root) {
    root.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea").forEach(
      function (control) {
        if (control.type === "hidden" || hasName(control)) {
          return;
        }
        var cell = control.closest("td");
        var header = cell && columnHeader(cell);
        var name = header ? textOf(header) : "";
        if (control.name && /-DELETE$/.test(control.name)) {
          name = "Delete";
        }
        if (name) {
          var row = control.closest("tr");
          var original = row && row.querySelector("td.original p");
          var which = original ? textOf(original) : "";
          control.setAttribute("aria-label", which ? name + " (" + which + ")" : name);
        }
      }
    );
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      var name = nameOfSelect(select);
      if (!name) {
        return;
      }
      container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field').forEach(
        function (part) {
          if (part.getAttribute("aria-label") !== name) {
            part.setAttribute("aria-label", name);
          }
        }
      );
      // The "clear all" cross of a multiple box sits inside its list of
      // choices; a list holds only list items.
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(function (item) {
        item.setAttribute("role", "listitem");
      });
    });
  }

  function nameAll() {
    nameInlineFields(document);
    nameAutocompletes(document);
  }

  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameAll();
      });
    }
  }

  window.addEventListener("load", function () {
    nameAll();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
  document.addEventListener("formset:added", soon);
})();
