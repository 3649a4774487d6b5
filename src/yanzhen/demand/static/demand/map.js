/* The talent demand map: industries ↔ disciplines ↔ universities ↔ experts (ECharts graph).
   The data comes from a json_script block; every node and every edge opens its records. */
(function () {
  "use strict";
  var COLORS = ["#1565c0", "#6a1b9a", "#2e7d32", "#ef6c00"];
  var SIZES = [[26, 60], [18, 44], [14, 30], [10, 18]];

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function scale(values, range) {
    var max = Math.max.apply(null, values.concat([1]));
    return function (v) { return range[0] + (range[1] - range[0]) * Math.sqrt((v || 0) / max); };
  }

  function draw(el, graph) {
    if (!graph.nodes.length) {
      el.classList.add("empty-graph");
      el.textContent = el.getAttribute("data-empty") || "暂无人才需求";
      return null;
    }
    var byCategory = {};
    graph.nodes.forEach(function (n) {
      (byCategory[n.category] = byCategory[n.category] || []).push(Number(n.value) || 0);
    });
    var sizers = {};
    Object.keys(byCategory).forEach(function (c) { sizers[c] = scale(byCategory[c], SIZES[c]); });
    var widths = scale(graph.links.map(function (l) { return Number(l.value) || 0; }), [1, 6]);
    var chart = echarts.init(el);
    chart.setOption({
      color: COLORS,
      tooltip: {
        formatter: function (p) {
          if (p.dataType === "edge") { return p.data.source.slice(2) + " → " + p.data.target.slice(2); }
          var cat = graph.categories[p.data.category].name;
          return cat + "：" + p.data.name + (p.data.value ? "（" + p.data.value + " 人）" : "");
        }
      },
      legend: [{ data: graph.categories.map(function (c) { return c.name; }), top: 0 }],
      series: [{
        type: "graph",
        layout: "force",
        top: 36,
        bottom: 8,
        roam: true,
        draggable: true,
        categories: graph.categories,
        force: { repulsion: 140, edgeLength: [30, 110], gravity: 0.25, layoutAnimation: false },
        label: { show: true, position: "right", fontSize: 11 },
        lineStyle: { color: "source", opacity: 0.55, curveness: 0.1 },
        emphasis: { focus: "adjacency", lineStyle: { width: 6 } },
        data: graph.nodes.map(function (n) {
          return {
            id: n.id, name: n.name, value: n.value, category: n.category, url: n.url,
            symbolSize: sizers[n.category](Number(n.value) || 1)
          };
        }),
        links: graph.links.map(function (l) {
          return { source: l.source, target: l.target, value: l.value, url: l.url,
                   lineStyle: { width: widths(Number(l.value) || 0) } };
        })
      }]
    });
    chart.on("click", function (p) {
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    return chart;
  }

  function init() {
    if (typeof echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-source]").forEach(function (el) {
      if (el.id !== "demand-graph") { return; }
      var graph = data(el.getAttribute("data-source"));
      if (graph) { charts.push(draw(el, graph)); }
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) { c.resize(); } });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
