// Monthly report pages: charts from the report's figures (json_script "report-chart-data"),
// and, while a report is being produced, a poll of its status URL that reloads when done.
(function () {
  "use strict";

  var progress = document.querySelector("[data-report-status-url]");
  if (progress) {
    var url = progress.getAttribute("data-report-status-url");
    var label = progress.querySelector("[data-report-status]");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (label) { label.textContent = data.status_display; }
          if (data.status === "ready" || data.status === "failed") {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }

  var dataNode = document.getElementById("report-chart-data");
  if (!dataNode || !window.Chart) { return; }
  var data = JSON.parse(dataNode.textContent);
  var blue = "#1d70b8", red = "#d4351c", green = "#00703c";
  // A bar's length is the number; its label is the figure as the tables show it (the server's
  // words: "10.95%", "–", "16:00"), never Chart.js's own rendering of the number.
  var number = function (v) { return v === null ? null : parseFloat(v); };
  var shownAs = function (words) {
    return { plugins: { tooltip: { callbacks: { label: function (ctx) {
      return ctx.dataset.label + ": " + words(ctx.datasetIndex)[ctx.dataIndex];
    } } } } };
  };
  var options = function (extra, words) {
    var base = { animation: false, maintainAspectRatio: false };
    Object.keys(extra).forEach(function (k) { base[k] = extra[k]; });
    base.plugins = shownAs(words).plugins;
    return base;
  };
  var targets = function (n) {
    var out = [];
    for (var i = 0; i < n; i += 1) { out.push(data.target_shown); }
    return out;
  };

  var rateCanvas = document.getElementById("chart-rate");
  if (rateCanvas) {
    new window.Chart(rateCanvas, {
      type: "bar",
      data: {
        labels: data.areas,
        datasets: [
          { label: "Abstraction rate (%)", backgroundColor: blue,
            data: data.rates.map(number) },
          { label: "Target (%)", type: "line", borderColor: red, pointRadius: 0,
            data: data.areas.map(function () { return parseFloat(data.target); }) }
        ]
      },
      options: options({ indexAxis: "y" }, function (i) {
        return i === 0 ? data.rates_shown : targets(data.areas.length);
      })
    });
  }

  var flowCanvas = document.getElementById("chart-flows");
  if (flowCanvas && data.flows.length) {
    new window.Chart(flowCanvas, {
      type: "bar",
      data: {
        labels: data.flows.map(function (f) { return f.label; }),
        datasets: [{ label: "Authorised flex, hours:minutes", backgroundColor: green,
                     data: data.flows.map(function (f) { return f.minutes / 60; }) }]
      },
      options: options({ indexAxis: "y" }, function () {
        return data.flows.map(function (f) { return f.shown; });
      })
    });
  }

  var trendCanvas = document.getElementById("chart-trend");
  if (trendCanvas) {
    new window.Chart(trendCanvas, {
      type: "line",
      data: {
        labels: data.trend.map(function (t) { return t.month; }),
        datasets: [
          { label: "Abstraction rate (%)", borderColor: blue,
            data: data.trend.map(function (t) { return number(t.rate); }) },
          { label: "Target (%)", borderColor: red, pointRadius: 0,
            data: data.trend.map(function () { return parseFloat(data.target); }) }
        ]
      },
      options: options({}, function (i) {
        return i === 0 ? data.trend.map(function (t) { return t.shown; })
          : targets(data.trend.length);
      })
    });
  }
})();
