// GOV.UK "conditional reveal" for radios: the questions under a radio
// (its aria-controls) show only while that radio is chosen.
//
// Markup: templates/ehc/forms/revealing_radios.html. The revealed block is
// in the page and visible until this script runs, so without JavaScript
// every question can be answered. Unlike GOV.UK Frontend's radios module,
// no aria-expanded is set on the radio: ARIA does not allow it there. A file
// from the portal's own origin, so the Content Security Policy needs no
// inline script.

const HIDDEN = "govuk-radios__conditional--hidden";

function initConditionalReveal(group) {
  const radios = Array.from(group.querySelectorAll('input[type="radio"]'));
  const sync = () => {
    radios.forEach((radio) => {
      const id = radio.getAttribute("aria-controls");
      const revealed = id ? document.getElementById(id) : null;
      if (revealed) {
        revealed.classList.toggle(HIDDEN, !radio.checked);
      }
    });
  };
  radios.forEach((radio) => radio.addEventListener("change", sync));
  // A page restored from the back-forward cache keeps its choice: show it.
  window.addEventListener("pageshow", sync);
  sync();
}

document.querySelectorAll('[data-module="app-conditional-reveal"]').forEach(initConditionalReveal);
