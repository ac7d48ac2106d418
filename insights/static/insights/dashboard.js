// Draws every chart of the dashboard from the numbers the page carries (#insights-charts):
// the same numbers as each chart's CSV and the API.
(function () {
  "use strict";
  const source = document.getElementById("insights-charts");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const palette = ["#0b6e4f", "#2680c2", "#f0b429", "#cf1124", "#7b61ff", "#3ebd93", "#8d6e63", "#9aa5b1"];
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.animation = false;

  function datasets(chart) {
    const round = chart.kind === "doughnut";
    return chart.datasets.map(function (d, i) {
      const colour = palette[i % palette.length];
      return {
        label: d.label,
        data: d.data,
        backgroundColor: round ? chart.labels.map(function (_, j) { return palette[j % palette.length]; }) : colour,
        borderColor: round ? "#fff" : colour,
        borderWidth: chart.kind === "line" ? 2 : 1,
        spanGaps: true,
        tension: 0.2,
      };
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const chart = charts[canvas.dataset.chart];
    if (!chart) return;
    const axes = chart.kind === "doughnut" ? {} : {
      x: { stacked: !!chart.stacked, ticks: { autoSkip: true, maxRotation: 50 } },
      y: { stacked: !!chart.stacked, beginAtZero: true },
    };
    const drawn = new Chart(canvas, {
      type: chart.kind,
      data: { labels: chart.labels, datasets: datasets(chart) },
      options: {
        maintainAspectRatio: false,
        indexAxis: chart.horizontal ? "y" : "x",
        scales: axes,
        plugins: { legend: { display: chart.datasets.length > 1 || chart.kind === "doughnut", position: "bottom" } },
      },
    });
    canvas.dataset.rendered = String(drawn.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0));
  });
  document.body.dataset.chartsReady = "true";
})();
