// The worklist's filter panel behind a "Show filters" button (the MOJ filter
// toggle), at every width, so a keyboard user reaches the list without
// tabbing through every filter. The panel opens by itself when a filter
// needs correcting. Without JavaScript it is always shown. A static file,
// not an inline script, so the Content Security Policy stays strict.
import { FilterToggleButton } from "../vendor/moj-frontend/moj-frontend.min.js";

if (document.body.classList.contains("govuk-frontend-supported")) {
  for (const panel of document.querySelectorAll('[data-module="app-filter-toggle"]')) {
    const toggle = new FilterToggleButton(panel, {
      // Never "big mode": MOJ shows the panel for good on wide screens.
      bigModeMediaQuery: "not all",
      toggleButton: {
        showText: "Show filters",
        hideText: "Hide filters",
        classes: "govuk-button--secondary govuk-!-margin-bottom-0",
      },
      closeButton: { text: "Close filters", classes: "moj-filter__close" },
    });
    if (panel.dataset.startShown === "true") {
      toggle.showMenu();
    }
  }
}
