/* The talent demand map: industries → disciplines → universities → experts (ECharts graph).
   The data comes from a json_script block. Legible by construction: the nodes stand in columns
   (one per kind) under the legend, at most a few industries and disciplines are shown (the
   others grouped in one node each), universities and experts appear when their discipline or
   university is clicked (a second click folds them again), an industry filter above the chart
   shows one industry's disciplines, and overlapping labels are hidden. Each click names the
   node under the chart with a link to its records; a click on an edge opens its records. */
(function () {
  "use strict";
  var COLORS = ["#1565c0", "#6a1b9a", "#2e7d32", "#ef6c00"];
  var SIZES = [[16, 34], [12, 28], [10, 20], [8, 14]];
  var LEGEND_HEIGHT = 40;

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function scale(values, range) {
    var max = Math.max.apply(null, values.concat([1]));
    return function (v) { return range[0] + (range[1] - range[0]) * Math.sqrt((v || 0) / max); };
  }

  function byValue(a, b) {
    return (Number(b.value) || 0) - (Number(a.value) || 0) || (a.name < b.name ? -1 : 1);
  }

  /* The nodes and links to show for the state {industry, expanded, phone}. */
  function visible(graph, state) {
    var words = graph.words;
    var limits = state.phone ? { i: 5, d: 6 } : { i: 8, d: 10 };
    var nodes = {};
    graph.nodes.forEach(function (n) { nodes[n.id] = n; });
    var industries = graph.nodes.filter(function (n) {
      return n.category === 0 && (!state.industry || n.id === state.industry);
    }).sort(byValue);
    var shown = [];
    var rep = {};  // node id → the id of the node that stands for it
    function group(kind, rest, category) {
      if (!rest.length) { return; }
      var id = kind + ":*";
      if (state.expanded[id]) {
        rest.forEach(function (n) { shown.push(n); rep[n.id] = n.id; });
        return;
      }
      var total = 0;
      rest.forEach(function (n) { total += Number(n.value) || 0; rep[n.id] = id; });
      shown.push({
        id: id, category: category, value: total, group: true,
        name: words[kind === "i" ? "otherIndustries" : "otherDisciplines"].replace("%s", rest.length),
        members: rest.map(function (n) { return n.name; })
      });
    }
    industries.slice(0, limits.i).forEach(function (n) { shown.push(n); rep[n.id] = n.id; });
    group("i", industries.slice(limits.i), 0);
    var weight = {};
    graph.links.forEach(function (l) {
      if (rep[l.source] !== undefined && l.target.charAt(0) === "d") {
        weight[l.target] = (weight[l.target] || 0) + (Number(l.value) || 0);
      }
    });
    var disciplines = Object.keys(weight).map(function (id) {
      var n = nodes[id];
      return { id: id, name: n.name, category: 1, value: weight[id], url: n.url };
    }).sort(byValue);
    disciplines.slice(0, limits.d).forEach(function (n) { shown.push(n); rep[n.id] = n.id; });
    group("d", disciplines.slice(limits.d), 1);
    // Universities of the expanded disciplines, experts of the expanded universities.
    graph.links.forEach(function (l) {
      if (l.source.charAt(0) === "d" && rep[l.source] === l.source && state.expanded[l.source] &&
          rep[l.target] === undefined) {
        shown.push(nodes[l.target]); rep[l.target] = l.target;
      }
    });
    graph.links.forEach(function (l) {
      if (l.source.charAt(0) === "u" && rep[l.source] === l.source && state.expanded[l.source] &&
          rep[l.target] === undefined) {
        shown.push(nodes[l.target]); rep[l.target] = l.target;
      }
    });
    var links = {};
    graph.links.forEach(function (l) {
      var a = rep[l.source], b = rep[l.target];
      if (a === undefined || b === undefined || a === b) { return; }
      var direct = a === l.source && b === l.target;
      // A university or an expert hangs only from the node that was expanded to show it.
      if (l.target.charAt(0) === "u" && !state.expanded[a]) { return; }
      if (l.target.charAt(0) === "e" && !state.expanded[a]) { return; }
      var key = a + ">" + b;
      var entry = links[key] || (links[key] = { source: a, target: b, value: 0, url: direct ? l.url : null });
      entry.value += Number(l.value) || 0;
      if (!direct) { entry.url = null; }
    });
    return { nodes: shown, links: Object.keys(links).sort().map(function (k) { return links[k]; }) };
  }

  /* Columns by kind; in each column the nodes ordered by the mean row of their sources (fewer
     crossings), spaced evenly. Positions in pixels of the chart's own box. */
  function place(view, width, phone) {
    var columns = [[], [], [], []];
    view.nodes.forEach(function (n) { columns[n.category].push(n); });
    var used = columns.filter(function (c) { return c.length; });
    var gap = phone ? 30 : 34;
    var rows = Math.max.apply(null, used.map(function (c) { return c.length; }).concat([1]));
    var height = LEGEND_HEIGHT + 24 + rows * gap;
    var row = {};
    // Room for the labels: the industries' on the left, the last column's on the right.
    var label = phone ? 60 : 140;
    var left = label + SIZES[0][1] / 2 + 10;
    var right = label + SIZES[1][1] / 2 + 10;
    var step = used.length > 1 ? (width - left - right) / (used.length - 1) : 0;
    used.forEach(function (column, index) {
      if (index > 0) {
        column.forEach(function (n) {
          var sum = 0, count = 0;
          view.links.forEach(function (l) {
            if (l.target === n.id && row[l.source] !== undefined) { sum += row[l.source]; count += 1; }
          });
          n.order = count ? sum / count : column.length;
        });
        column.sort(function (a, b) { return a.order - b.order || byValue(a, b); });
      } else {
        column.sort(function (a, b) { return (a.group ? 1 : 0) - (b.group ? 1 : 0) || byValue(a, b); });
      }
      var top = LEGEND_HEIGHT + 12 + (rows - column.length) * gap / 2;
      column.forEach(function (n, i) {
        row[n.id] = i + (rows - column.length) / 2;
        n.x = used.length > 1 ? left + index * step : width / 2;
        n.y = top + gap / 2 + i * gap;
      });
    });
    return height;
  }

  function draw(el, graph, controls) {
    var chart = echarts.init(el);
    var state = { industry: "", expanded: {}, phone: false };
    var sizers = {};
    [0, 1, 2, 3].forEach(function (c) {
      sizers[c] = scale(graph.nodes.filter(function (n) { return n.category === c; })
        .map(function (n) { return Number(n.value) || 0; }), SIZES[c]);
    });

    function render() {
      var width = el.clientWidth || 600;
      state.phone = width < 600;
      var view = visible(graph, state);
      var height = place(view, width, state.phone);
      el.style.height = height + "px";
      chart.resize({ width: width, height: height });
      var widths = scale(view.links.map(function (l) { return l.value; }), [1, 6]);
      chart.setOption({
        color: COLORS,
        animation: false,
        tooltip: {
          confine: true,
          formatter: function (p) {
            if (p.dataType === "edge") { return p.data.sourceName + " → " + p.data.targetName; }
            var cat = graph.categories[p.data.category].name;
            var text = cat + "：" + p.data.name + (p.data.value ? "（" + p.data.value + " 人）" : "");
            if (p.data.members) { text += "<br>" + p.data.members.slice(0, 12).join("、"); }
            return text;
          }
        },
        legend: [{
          data: graph.categories.map(function (c) { return c.name; }),
          top: 8, left: "center", itemGap: state.phone ? 8 : 16, selectedMode: false
        }],
        series: [{
          type: "graph",
          layout: "none",
          left: 0, top: 0, right: 0, bottom: 0,
          roam: false,
          categories: graph.categories,
          labelLayout: { hideOverlap: true },
          label: {
            show: true, fontSize: state.phone ? 10 : 12, width: state.phone ? 60 : 140,
            overflow: "truncate", position: "right"
          },
          lineStyle: { color: "source", opacity: 0.4, curveness: 0 },
          emphasis: { focus: "adjacency", lineStyle: { width: 6 } },
          // Two invisible corners make the nodes' box the chart's box: positions are pixels.
          data: [
            { id: "_top", name: "", x: 0, y: 0, symbolSize: 0, label: { show: false },
              tooltip: { show: false }, itemStyle: { opacity: 0 } },
            { id: "_bottom", name: "", x: width, y: height, symbolSize: 0, label: { show: false },
              tooltip: { show: false }, itemStyle: { opacity: 0 } }
          ].concat(view.nodes.map(function (n) {
            var first = n.category === 0;
            return {
              id: n.id, name: n.name, value: n.value, category: n.category, url: n.url,
              members: n.members, group: n.group, x: n.x, y: n.y, fixed: true,
              symbolSize: n.group ? SIZES[n.category][0] + 4 : sizers[n.category](Number(n.value) || 1),
              symbol: n.group ? "roundRect" : "circle",
              label: { position: first ? "left" : "right" },
              itemStyle: state.expanded[n.id] ? { borderColor: "#212121", borderWidth: 2 } : undefined
            };
          })),
          links: view.links.map(function (l) {
            var names = {};
            view.nodes.forEach(function (n) { names[n.id] = n.name; });
            return { source: l.source, target: l.target, value: l.value, url: l.url,
                     sourceName: names[l.source], targetName: names[l.target],
                     lineStyle: { width: widths(l.value) } };
          })
        }]
      }, { notMerge: true });
      el.setAttribute("data-nodes", view.nodes.map(function (n) { return n.id; }).join(" "));
    }

    function tell(node) {
      var info = controls.info;
      if (!info) { return; }
      info.textContent = "";
      var text = graph.categories[node.category].name + "：" + node.name;
      if (node.value) { text += "（" + node.value + " 人）"; }
      info.appendChild(document.createTextNode(text + " "));
      if (node.url) {
        var a = document.createElement("a");
        a.href = node.url;
        a.textContent = graph.words.open;
        info.appendChild(a);
      }
    }

    chart.on("click", function (p) {
      if (!p.data || String(p.data.id).charAt(0) === "_") { return; }
      if (p.dataType === "edge") {
        if (p.data.url) { window.location.href = p.data.url; }
        return;
      }
      var id = p.data.id;
      if (p.data.category === 0 && !p.data.group) {
        state.industry = state.industry === id ? "" : id;
        if (controls.select) { controls.select.value = state.industry; }
      } else if (p.data.category !== 3) {
        state.expanded[id] = !state.expanded[id];
      }
      tell(p.data);
      render();
    });

    if (controls.select) {
      graph.nodes.filter(function (n) { return n.category === 0; }).sort(byValue).forEach(function (n) {
        var option = document.createElement("option");
        option.value = n.id;
        option.textContent = n.name + "（" + n.value + " 人）";
        controls.select.appendChild(option);
      });
      controls.select.addEventListener("change", function () {
        state.industry = controls.select.value;
        render();
      });
    }
    render();
    return { chart: chart, render: render };
  }

  function init() {
    if (typeof echarts === "undefined") { return; }
    var el = document.getElementById("demand-graph");
    if (!el) { return; }
    var graph = data(el.getAttribute("data-source"));
    var controls = {
      select: document.getElementById("graph-industry"),
      info: document.getElementById("graph-info")
    };
    if (!graph || !graph.nodes.length) {
      el.classList.add("empty-graph");
      el.textContent = el.getAttribute("data-empty") || "暂无人才需求";
      if (controls.select) { controls.select.disabled = true; }
      return;
    }
    graph.words = {
      otherIndustries: el.getAttribute("data-other-industries") || "其他 %s 个产业",
      otherDisciplines: el.getAttribute("data-other-disciplines") || "其他 %s 个学科",
      open: el.getAttribute("data-open") || "查看记录"
    };
    var drawn = draw(el, graph, controls);
    var last = el.clientWidth;
    window.addEventListener("resize", function () {
      if (el.clientWidth !== last) { last = el.clientWidth; drawn.render(); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
