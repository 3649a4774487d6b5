"""Small things people notice (issue 18): doubled words in exported titles, the demo loader's
address and summary."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.assessment.models import Period
from yanzhen.demo.management.commands.demo import LABELS, address
from yanzhen.supervision.models import Round


def _filename(disposition: str) -> str:
    return unquote(disposition.split("filename*=UTF-8''", 1)[-1])


@pytest.mark.usefixtures("demo_db")
def test_the_round_summary_export_names_the_round_once(demo_db: Demo) -> None:
    round = Round.objects.filter(title__endswith="调度").order_by("pk").first()
    assert round is not None
    url = reverse("supervision:round_detail", args=[round.pk]) + "?export=xlsx"
    response = demo_db.client("office").get(url)
    assert response.status_code == 200
    name = _filename(response["Content-Disposition"])
    assert "调度调度" not in name
    assert name.startswith(f"{round.title}汇总")


@pytest.mark.usefixtures("demo_db")
def test_the_assessment_bulletin_names_the_period_once(demo_db: Demo) -> None:
    period = Period.objects.get(name="2021年度", system__name="省校合作量化考核指标体系")
    Period.objects.filter(pk=period.pk).update(name="2021年度考核")
    url = reverse("assessment:period_detail", args=[period.pk]) + "?export=xlsx"
    response = demo_db.client("office").get(url)
    name = _filename(response["Content-Disposition"])
    assert name.startswith("2021年度考核结果通报")


def test_the_demo_loader_prints_the_port_it_is_served_at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.delenv("HOST", raising=False)
    assert address() == "http://127.0.0.1:9123/"
    monkeypatch.delenv("PORT")
    assert address() == "http://127.0.0.1:8000/"


def test_every_count_of_the_demo_summary_has_a_chinese_label() -> None:
    demo = Path(__file__).resolve().parents[2] / "src" / "yanzhen" / "demo"
    keys = set()
    for source in demo.rglob("*.py"):
        keys |= set(re.findall(r'\.add\(\s*"([^"]+)"', source.read_text(encoding="utf-8")))
    assert keys
    assert sorted(keys - set(LABELS)) == []
    assert all(re.search(r"[a-z]", label) is None for label in LABELS.values())


@pytest.mark.usefixtures("demo_db")
def test_no_gap_is_claimed_where_there_are_no_enterprises(demo_db: Demo) -> None:
    html = demo_db.client("town").get("/").content.decode()
    horizontal = html.split("横向全覆盖", 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td><a [^>]+>(\d+)</a></td>(.*?)</tr>", horizontal, re.S
    )
    empty = [(label, rest) for label, total, rest in rows if total == "0"]
    assert empty  # the demo has industries without a leading enterprise
    for label, rest in empty:
        assert "无缺口" not in rest, label
        assert "尚无龙头企业" in rest, label


@pytest.mark.usefixtures("demo_db")
def test_the_rank_sensitive_tag_is_explained_on_the_page(demo_db: Demo) -> None:
    html = demo_db.client("leader").get(reverse("supervision:leader")).content.decode()
    assert "排名敏感" in html
    assert "（指标权重上下浮动10%时，名次会变化）" in html
