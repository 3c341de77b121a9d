// "Add another row" for a Django formset, without reloading the page.
//
// Markup (see templates/ehc/advice_form.html):
//   <div data-module="app-add-another" data-prefix="provision" data-add-label="Add another ...">
//     <div data-add-another-rows> ...one element per row... </div>
//     <template data-add-another-template> ...the formset's empty form... </template>
//     <button type="submit" name="add_row" data-add-another-button>Save and add another row</button>
//   </div>
//
// Without JavaScript the button submits the form ("save and add another
// row": the server saves and shows the page again with blank rows). With
// it, the button becomes an ordinary button that copies the empty form,
// numbering it (__prefix__ becomes the row's index, __number__ its number
// counting from 1), raises the formset's TOTAL_FORMS, and moves focus to
// the new row's first field. At MAX_NUM_FORMS the button is hidden.
// A file served from the portal's own origin, so the Content Security
// Policy needs no inline script.

function initAddAnother(root) {
  const prefix = root.dataset.prefix;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const maximum = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  const template = root.querySelector("template[data-add-another-template]");
  const rows = root.querySelector("[data-add-another-rows]");
  const button = root.querySelector("[data-add-another-button]");
  if (!total || !template || !rows || !button) {
    return;
  }
  const limit = maximum ? parseInt(maximum.value, 10) : Number.POSITIVE_INFINITY;
  const count = () => parseInt(total.value, 10);
  const showButton = () => {
    button.classList.toggle("govuk-!-display-none", count() >= limit);
  };

  // Now an ordinary button: it no longer submits (or saves) the form.
  button.type = "button";
  button.removeAttribute("name");
  button.removeAttribute("value");
  if (root.dataset.addLabel) {
    button.textContent = root.dataset.addLabel;
  }

  button.addEventListener("click", () => {
    const index = count();
    if (index >= limit) {
      return;
    }
    const row = document.createElement("div");
    row.className = "app-add-another__row";
    row.innerHTML = template.innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1));
    rows.appendChild(row);
    total.value = String(index + 1);
    showButton();
    const first = row.querySelector("input:not([type=hidden]), textarea, select");
    if (first) {
      first.focus();
    }
  });
  showButton();
}

document.querySelectorAll('[data-module="app-add-another"]').forEach(initAddAnother);
