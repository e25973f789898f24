// Draws every chart on a dashboard page with Chart.js from the JSON the page embeds
// (`<script type="application/json" id="chart-N">`, built from the same rows as the page's
// table). The canvas has a text label; the table beside it is the accessible form of the chart.
(function () {
  "use strict";

  // Colours that keep a 3:1 contrast against white and stay apart for common colour blindness.
  var PALETTE = ["#1f5f99", "#c45a00", "#2f7d32", "#7a3f9d", "#a12a2b", "#00707a"];

  function dataset(series, index, kind) {
    var colour = PALETTE[index % PALETTE.length];
    var area = kind === "stacked-area";
    return {
      label: series.label,
      data: series.data,
      borderColor: colour,
      backgroundColor: area ? colour + "99" : colour,
      fill: area ? (index === 0 ? "origin" : "-1") : false,
      borderWidth: kind === "bar" || kind === "stacked-bar" ? 0 : 2,
      pointRadius: series.data.length > 60 ? 0 : 3,
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var stacked = spec.kind === "stacked-bar" || spec.kind === "stacked-area";
    var line = spec.kind === "line" || spec.kind === "stacked-area";
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (series, index) {
          return dataset(series, index, spec.kind);
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: {
            stacked: stacked,
            title: { display: Boolean(spec.x_title), text: spec.x_title },
            ticks: { autoSkip: true, maxRotation: 45 },
          },
          y: {
            stacked: stacked,
            beginAtZero: true,
            title: { display: Boolean(spec.y_title), text: spec.y_title },
          },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
