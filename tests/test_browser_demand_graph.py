"""The demand graph (人才需求图谱) is legible in a real browser, at a desktop's 1440 px and a
phone's 390 px: no node covers the legend, the chart and every node stay inside the viewport's
width and the chart's own box (nothing clipped at the bottom), overlapping labels are hidden,
at most a few industries and disciplines are shown (the others grouped), a click expands a
node, and the industry filter changes the nodes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.test_browser import page, server  # noqa: F401 (the fixtures)
from tests.test_browser_ux import sign_in

pytestmark = pytest.mark.browser

# Where the legend and each shown node are drawn, in the chart's pixels (ECharts' own layout).
GEOMETRY = """() => {
  const el = document.getElementById('demand-graph');
  const chart = echarts.getInstanceByDom(el);
  const legend = chart.getModel().getComponent('legend');
  const group = chart.getViewOfComponentModel(legend).group;
  const r = group.getBoundingRect();
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const nodes = [];
  for (let i = 0; i < data.count(); i++) {
    const id = data.getId(i);
    if (id.charAt(0) === '_') continue;
    const [x, y] = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
    const size = data.getItemVisual(i, 'symbolSize');
    const s = Array.isArray(size) ? Math.max(size[0], size[1]) : size;
    nodes.push({id, x, y, r: s / 2});
  }
  const box = el.getBoundingClientRect();
  return {
    legend: {x: group.x + r.x, y: group.y + r.y, w: r.width, h: r.height},
    nodes, width: chart.getWidth(), height: chart.getHeight(),
    box: {left: box.left, right: box.right}, viewport: window.innerWidth,
    scroll: document.documentElement.scrollWidth,
    labelLayout: chart.getOption().series[0].labelLayout,
  };
}"""


def _geometry(page: Page) -> dict[str, Any]:  # noqa: F811
    result: dict[str, Any] = page.evaluate(GEOMETRY)
    return result


def _covering_the_legend(g: dict[str, Any]) -> list[str]:
    legend = g["legend"]
    return [
        n["id"]
        for n in g["nodes"]
        if n["x"] + n["r"] > legend["x"]
        and n["x"] - n["r"] < legend["x"] + legend["w"]
        and n["y"] + n["r"] > legend["y"]
        and n["y"] - n["r"] < legend["y"] + legend["h"]
    ]


def _outside(g: dict[str, Any]) -> list[str]:
    return [
        n["id"]
        for n in g["nodes"]
        if n["x"] - n["r"] < 0
        or n["x"] + n["r"] > g["width"]
        or n["y"] - n["r"] < 0
        or n["y"] + n["r"] > g["height"]
    ]


def _nodes(page: Page) -> list[str]:  # noqa: F811
    return str(page.get_attribute("#demand-graph", "data-nodes")).split()


@pytest.mark.parametrize("width", [1440, 390])
def test_the_graph_is_legible_and_filtered_by_industry(
    server: str,  # noqa: F811
    page: Page,  # noqa: F811
    width: int,
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server)
    page.goto(f"{server}/demand/")
    page.wait_for_load_state("networkidle")  # the scripts have run (deferred), the chart drawn
    g = _geometry(page)
    assert g["legend"]["h"] > 0
    assert len(g["nodes"]) > 5
    assert _covering_the_legend(g) == []
    assert _outside(g) == []
    assert g["box"]["left"] >= 0
    assert g["box"]["right"] <= g["viewport"]
    assert g["scroll"] <= g["viewport"]  # the page does not scroll sideways
    assert g["labelLayout"] == {"hideOverlap": True}
    shown = _nodes(page)
    industries = [n for n in shown if n.startswith("i:")]
    disciplines = [n for n in shown if n.startswith("d:")]
    limit_i, limit_d = (5, 6) if width < 600 else (8, 10)
    assert len([n for n in industries if n != "i:*"]) <= limit_i
    assert len([n for n in disciplines if n != "d:*"]) <= limit_d
    assert not any(n.startswith(("u:", "e:")) for n in shown)  # folded until clicked

    # The industry filter: one industry, its own disciplines.
    options = page.eval_on_selector_all("#graph-industry option", "os => os.map(o => o.value)")
    assert options[0] == ""
    assert len(options) > 2
    page.select_option("#graph-industry", options[1])
    filtered = _nodes(page)
    assert filtered != shown
    assert [n for n in filtered if n.startswith("i:")] == [options[1]]
    g = _geometry(page)
    assert _covering_the_legend(g) == []
    assert _outside(g) == []

    # A click on a discipline shows its universities (and names it with a link under the chart).
    discipline = next(n for n in filtered if n.startswith("d:") and n != "d:*")
    point = next(n for n in g["nodes"] if n["id"] == discipline)
    page.locator("#demand-graph").scroll_into_view_if_needed()
    box = page.locator("#demand-graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    expanded = _nodes(page)
    assert any(n.startswith("u:") for n in expanded)
    assert page.locator("#graph-info a").count() == 1
    g = _geometry(page)
    assert _covering_the_legend(g) == []
    assert _outside(g) == []
