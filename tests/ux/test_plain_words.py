"""Small things people notice (issue 18), second part: the indicator page speaks Chinese, the
totals above 100 are explained."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.assessment.models import IndicatorSystem, Period, PeriodState, Score
from yanzhen.core.forms import unit_choices
from yanzhen.core.models import Unit
from yanzhen.core.templatetags.yanzhen import number


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.usefixtures("demo_db")
def test_the_indicator_page_names_sources_in_chinese(demo_db: Demo) -> None:
    system = IndicatorSystem.objects.get(name="省校合作量化考核指标体系")
    response = demo_db.client("office").get(reverse("assessment:system_detail", args=[system.pk]))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "supervision.milestones_on_time" not in text
    assert re.search(r"\b[a-z]+\.[a-z_]+\b", text) is None
    assert "自动计算：节点任务按时完成率" in text


@pytest.mark.usefixtures("demo_db")
def test_the_indicator_page_explains_the_cap_beside_the_total(demo_db: Demo) -> None:
    system = IndicatorSystem.objects.get(name="省校合作量化考核指标体系")
    response = demo_db.client("office").get(reverse("assessment:system_detail", args=[system.pk]))
    text = _text(response.content.decode())
    assert "合计 100 分" in text
    assert (
        "合计 100 分是各指标分值之和。按目标完成率计分的指标超额完成时最多按目标的 120% 计分"
        "（目标完成率封顶），所以总分最高可达 120 分。" in text
    )


@pytest.mark.usefixtures("demo_db")
def test_a_score_above_the_weights_says_why(demo_db: Demo) -> None:
    score = Score.objects.filter(total__gt=100).order_by("pk").first()
    assert score is not None
    url = reverse("assessment:score_detail", args=[score.pk])
    text = _text(demo_db.client("office").get(url).content.decode())
    assert "超额完成最多按目标的 120% 计分，所以总分可以超过各指标分值之和。" in text


def test_numbers_are_grouped_keeping_their_stored_digits() -> None:
    assert number(Decimal("1446000.00")) == "1,446,000.00"
    assert number(Decimal("56369")) == "56,369"
    assert number(Decimal("5.6369E+4")) == "56,369"
    assert number(120) == "120"
    assert number(-1234567) == "-1,234,567"
    assert number(None) is None
    assert number(True) is True
    assert number("2021年度") == "2021年度"


@pytest.mark.usefixtures("demo_db")
def test_the_budget_figures_have_thousands_separators(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("talent:payment_list")).content.decode()
    found = re.findall(r'<span class="value">([^<]+)</span><span class="label">([^<]+)', html)
    figures = {label: value for value, label in found}
    assert figures["年度预算（元）"] == "1,446,000.00"
    assert figures["预算余额（元）"] == "1,446,000.00"
    assert "<td>1,200,000.00</td>" in html


@pytest.mark.usefixtures("demo_db")
def test_the_landed_investment_reads_56_369_wan_yuan(demo_db: Demo) -> None:
    client = demo_db.client("office")
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert '<span class="value">56,369</span><span class="label">落地投资（万元）</span>' in html
    html = client.get(reverse("reports:overview"), {"year": "2021"}).content.decode()
    assert re.search(r'<tr data-figure="落地投资">.*?<strong>56,369</strong>', html, re.S)


@pytest.mark.usefixtures("demo_db")
def test_the_overview_groups_its_units_by_kind(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("reports:overview")).content.decode()
    select = re.findall(r'<select name="unit".*?</select>', html, re.S)[0]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select)
    assert [(label, body.count("<option")) for label, body in groups] == [
        ("县（市、区）", 1),
        ("部门", 13),
        ("镇", 7),
        ("街道", 3),
        ("开发区", 1),
    ]
    assert re.findall(r">([^<]+)</option>", groups[2][1]) == [
        "虞乡镇", "卿头镇", "开张镇", "栲栳镇", "蒲州镇", "韩阳镇", "张营镇",
    ]  # fmt: skip


class _UnitForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())


@pytest.mark.usefixtures("demo_db")
def test_a_unit_select_of_many_units_is_grouped_by_kind() -> None:
    kinds = ["department", "town", "street"]
    units = Unit.objects.filter(kind__in=kinds, parent__name="永济市").order_by("sort_order", "id")
    form = _UnitForm()
    unit_choices(form, "unit", units)
    field = form.fields["unit"]
    assert isinstance(field, forms.ChoiceField)
    choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
    assert choices[0] == ("", "---------")
    assert [(label, len(rows)) for label, rows in choices[1:]] == [
        ("部门", 13),
        ("街道", 3),
        ("镇", 7),
    ]
    assert '<optgroup label="镇">' in str(form["unit"])


@pytest.mark.usefixtures("demo_db")
def test_a_short_unit_select_stays_flat() -> None:
    units = Unit.objects.filter(kind__in=["town", "street"], parent__name="永济市")
    form = _UnitForm()
    unit_choices(form, "unit", units.order_by("sort_order", "id"))
    field = form.fields["unit"]
    assert isinstance(field, forms.ChoiceField)
    assert len(list(field.choices)) == 11  # type: ignore[arg-type]
    assert "<optgroup" not in str(form["unit"])


@pytest.mark.usefixtures("demo_db")
def test_the_score_trend_opens_on_the_latest_periods_subjects(demo_db: Demo) -> None:
    latest = Period.objects.filter(state=PeriodState.PUBLISHED).order_by("-end", "-id").first()
    assert latest is not None
    response = demo_db.client("office").get(reverse("assessment:trend"))
    html = response.content.decode()
    assert response.context["system"] == latest.system
    assert response.context["kind"] == latest.kind
    names = [line.name for line in response.context["lines"]]
    subjects = list(Score.objects.filter(period=latest).values_list("name", flat=True))
    assert subjects
    assert set(subjects) <= set(names)
    assert 'id="trend-table"' in html
    assert f'<option value="{latest.system.pk}" selected>' in html


@pytest.mark.usefixtures("demo_db")
def test_a_refused_htmx_request_gets_a_short_chinese_fragment(demo_db: Demo) -> None:
    client = demo_db.client("sysadmin")
    url = reverse("core:person_options") + "?field=person&search=张"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.content.decode().strip() == (
        '<div class="flash error" role="alert" data-error="403"><strong>没有权限</strong>：'
        "您的账户没有执行此操作或查看此页面的权限。如确需办理，请联系本单位管理员或合作办。</div>"
    )
    page = client.get(url)
    assert page.status_code == 403
    assert "<html" in page.content.decode()


@pytest.mark.usefixtures("demo_db")
def test_an_htmx_request_for_an_unknown_address_gets_the_fragment(demo_db: Demo) -> None:
    response = demo_db.client("office").get("/no-such-page/", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.content.decode().strip() == (
        '<div class="flash error" role="alert" data-error="404"><strong>页面不存在</strong>：'
        "您访问的页面或记录不存在，或不在您的数据范围内。</div>"
    )
