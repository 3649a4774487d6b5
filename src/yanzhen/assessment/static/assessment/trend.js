/* Assessment trend: one line per subject across the published periods (our own ECharts). */
(function () {
  "use strict";
  function init() {
    var el = document.querySelector("[data-trend]");
    var node = document.getElementById("trend-data");
    if (!el || !node || typeof echarts === "undefined") { return; }
    var spec = JSON.parse(node.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: "line", connectNulls: false,
          data: s.data.map(function (v, i) { return { value: v, url: s.urls[i] }; })
        };
      })
    });
    chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
