// The flex form, progressively enhanced (without JavaScript every officer is listed and the
// server checks the length):
// - the officers are filtered by home ward (the user's own team first), rank and name; an
//   officer already ticked always stays in view;
// - the protocol's length limit (data-max-flex-days, from deployment.protocol) is checked as
//   the first and last days are typed, with the same words the server uses.
(function () {
  var form = document.querySelector("[data-flex-form]");
  if (!form) return;

  function officerFilter() {
    var panel = document.getElementById("officer-filter");
    if (!panel) return;
    var ward = document.getElementById("officer-filter-ward");
    var rank = document.getElementById("officer-filter-rank");
    var name = document.getElementById("officer-filter-name");
    var count = document.getElementById("officer-filter-count");
    var items = Array.prototype.slice.call(form.querySelectorAll("[data-officer]"));
    panel.hidden = false;
    function apply() {
      var words = name.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var ticked = item.querySelector("input").checked;
        var match = (!ward.value || item.dataset.ward === ward.value) &&
          (!rank.value || item.dataset.rank === rank.value) &&
          (!words || item.dataset.name.indexOf(words) !== -1);
        item.hidden = !(match || ticked);
        if (!item.hidden) shown += 1;
      });
      count.textContent = shown + " of " + items.length + " officers shown";
    }
    ward.addEventListener("change", apply);
    rank.addEventListener("change", apply);
    name.addEventListener("input", apply);
    apply();
  }

  // A date from the field's inputs: one (YYYY-MM-DD or DD/MM/YYYY) or three (day, month, year).
  function dateOf(prefix) {
    var inputs = form.querySelectorAll('input[name^="' + prefix + '"]');
    var parts;
    if (inputs.length === 3) {
      parts = [inputs[2].value, inputs[1].value, inputs[0].value];
    } else if (inputs.length === 1) {
      var value = inputs[0].value.trim();
      parts = /^\d{4}-\d{1,2}-\d{1,2}$/.test(value) ? value.split("-")
        : value.split("/").reverse();
    } else {
      return null;
    }
    var y = parseInt(parts[0], 10), m = parseInt(parts[1], 10), d = parseInt(parts[2], 10);
    if (!(y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
    var day = Date.UTC(y, m - 1, d);
    return new Date(day).getUTCDate() === d ? day : null;
  }

  function lengthCheck() {
    var max = parseInt(form.dataset.maxFlexDays, 10);
    var message = document.getElementById("flex-length");
    if (!message || !max) return;
    function check() {
      var start = dateOf("start_date"), end = dateOf("end_date");
      message.className = "govuk-body";
      if (start === null || end === null) { message.textContent = ""; return; }
      var days = Math.round((end - start) / 86400000) + 1;
      if (days < 1) {
        message.className = "govuk-error-message";
        message.textContent = "The last day must be on or after the first day.";
      } else if (days > max) {
        message.className = "govuk-error-message";
        message.textContent = "A flex lasts at most " + max + " days (" + Math.floor(max / 7) +
          " weeks) under the protocol; this one lasts " + days + ".";
      } else {
        message.textContent = days + " day" + (days === 1 ? "" : "s") + ": within the " + max +
          "-day limit.";
      }
    }
    form.addEventListener("input", function (event) {
      if (/^(start|end)_date/.test(event.target.name || "")) check();
    });
    form.addEventListener("change", function (event) {
      if (/^(start|end)_date/.test(event.target.name || "")) check();
    });
    check();
  }

  officerFilter();
  lengthCheck();
})();
