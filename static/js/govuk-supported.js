// Loaded at the start of <body>, before anything is drawn: tells GOV.UK Frontend's CSS that
// JavaScript runs (and whether its modules are supported), so components render in their
// scripted form without a flash. A file rather than inline, so the CSP needs no inline script.
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
