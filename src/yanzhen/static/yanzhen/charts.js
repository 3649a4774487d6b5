/* Dashboard charts: ECharts from our own static files; every bar opens its records.
   Tooltips are drawn on the canvas ("richText"): ECharts' HTML tooltips write inline style
   attributes, which the Content Security Policy (style-src 'self', no 'unsafe-inline')
   refuses, so they would break on every hover. */
(function () {
  "use strict";
  var TOOLTIP = { renderMode: "richText", confine: true };
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function open(url) { if (url) { window.location.href = url; } }

  function funnel(el, items) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: Object.assign({ trigger: "item", formatter: "{b}: {c}" }, TOOLTIP),
      series: [{
        type: "funnel", left: "10%", width: "80%", sort: "descending", gap: 2,
        label: { show: true, position: "inside", formatter: "{b} {c}" },
        data: items.map(function (f) { return { name: f.name, value: f.value, url: f.url }; })
      }]
    });
    chart.on("click", function (p) { open(p.data && p.data.url); });
    return chart;
  }

  function bars(el, spec) {
    var chart = echarts.init(el);
    var horizontal = spec.categories.length > 6;
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      tooltip: Object.assign({ trigger: "axis", axisPointer: { type: "shadow" } }, TOOLTIP),
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({ inverse: true }, category) : value,
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: "bar",
          data: s.data.map(function (v, i) { return { value: v, url: s.urls[i] }; })
        };
      })
    });
    chart.on("click", function (p) { open(p.data && p.data.url); });
    return chart;
  }

  function init() {
    if (typeof echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = data(el.getAttribute("data-source"));
      if (!spec) { return; }
      if (el.getAttribute("data-chart") === "bar" && spec.categories.length > 6) {
        el.style.height = Math.max(300, spec.categories.length * 28 + 60) + "px";
      }
      charts.push(el.getAttribute("data-chart") === "funnel" ? funnel(el, spec) : bars(el, spec));
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
