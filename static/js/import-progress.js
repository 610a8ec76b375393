/*
 * An import's page shows its progress while the worker runs it: every two seconds it reads the
 * import's status URL (the API, with the page's session) and updates the fields marked
 * data-field; when the import is done or failed it reloads the page once for the full report.
 */
(function () {
  "use strict";
  var box = document.querySelector('[data-module="app-import-progress"]');
  if (!box) { return; }
  var finished = ["done", "failed"];
  if (finished.indexOf(box.dataset.status) !== -1) { return; }
  var labels = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };

  function update(data) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var key = el.dataset.field;
      if (key === "status_display") { el.textContent = labels[data.status] || data.status; }
      else if (key in data && data[key] !== null) { el.textContent = data[key]; }
    });
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        update(data);
        if (finished.indexOf(data.status) !== -1) { window.location.reload(); }
        else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
