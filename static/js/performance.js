// Performance level pages: one small trend chart per measure, from json_script
// "performance-chart-data": the rated percentage month by month (null: no data, a gap) with the
// band's green and amber limits as lines. The trend table beside them holds the same figures.
(function () {
  "use strict";
  var print = document.querySelector("[data-print]");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
  var node = document.getElementById("performance-chart-data");
  if (!node || !window.Chart) { return; }
  var charts = JSON.parse(node.textContent);
  var blue = "#1d70b8", green = "#00703c", amber = "#f47738";
  var flat = function (value, n) {
    var out = [];
    for (var i = 0; i < n; i++) { out.push(value === null ? null : parseFloat(value)); }
    return out;
  };
  document.querySelectorAll("[data-performance-chart]").forEach(function (canvas) {
    var c = charts[parseInt(canvas.getAttribute("data-performance-chart"), 10)];
    var n = c.months.length;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: c.months,
        datasets: [
          { label: c.label + " (%)", borderColor: blue, backgroundColor: blue, spanGaps: false,
            data: c.values.map(function (v) { return v === null ? null : parseFloat(v); }) },
          { label: "Green limit", borderColor: green, borderDash: [6, 4], pointRadius: 0,
            data: flat(c.green, n) },
          { label: "Amber limit", borderColor: amber, borderDash: [2, 3], pointRadius: 0,
            data: flat(c.amber, n) }
        ]
      },
      // A point's label is the rated percentage as the trend table shows it ("11.80%", the
      // server's string), not Chart.js's rendering of the number ("11.8").
      options: { animation: false, maintainAspectRatio: false,
                 plugins: { legend: { labels: { boxWidth: 12 } },
                            tooltip: { callbacks: { label: function (ctx) {
                              var raw = ctx.datasetIndex === 0 ? c.values[ctx.dataIndex]
                                : [c.green, c.amber][ctx.datasetIndex - 1];
                              return ctx.dataset.label + ": " + (raw === null ? "–" : raw + "%");
                            } } } } }
    });
  });
}());
