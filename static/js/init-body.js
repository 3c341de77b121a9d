// Runs synchronously at the top of <body>: tells GOV.UK Frontend's CSS that
// JavaScript is available before the page paints. An external file rather
// than an inline script so the Content Security Policy needs no exceptions.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
