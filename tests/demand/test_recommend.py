"""Recommendations on the Yongji demo: the case's real pairs, the why on the pages, the command
line, the API, the visit list and the reverse (which local needs fit a university or expert)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.demand import recommendations
from yanzhen.demand.models import Expert, TalentNeed
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")


def need(position: str) -> TalentNeed:
    return TalentNeed.objects.get(position=position)


# position of the need → (the case's partner, its rank, the discipline it is recommended in)
PAIRS = {
    "牵引电机控制算法工程师": ("西安交通大学", 1, "0808"),  # 中车永济电机
    "轨道交通智能监控终端软件工程师": ("清华大学", 1, "0810"),  # 中车永济电机
    "电机电器产品结构设计工程师": ("西北工业大学", 1, "0802"),  # 贝特电气
    "汽车零部件轻量化工程师": ("中北大学", 1, "0802"),  # 千军汽车部件
    "精细化工合成工艺工程师": ("山西农业大学", 2, "0817"),  # 久联宏远化工
    "智慧化工厂自动化工程师": ("太原科技大学", 1, "0811"),  # 久联宏远化工
    "光电器件研发工程师": ("武汉大学", 3, "0809"),  # 穿越光电
    "无人机飞控工程师": ("西北工业大学", 1, "0825"),  # 天鹰无人机
    "金属3D打印工艺工程师": ("西北工业大学", 2, "0805"),  # 光府科技
    "鲜食枣设施栽培技术员": ("西北农林科技大学", 1, "0902"),  # 鲜枣果业
    "复合材料研发工程师": ("太原理工大学", 1, "0805"),  # 蓝科途新材料
    "面食工艺技师": ("山西运城农业职业技术学院", 1, "0832"),  # 面食产业学院
}


def test_each_real_pair_of_the_case_ranks_its_partner_in_the_top_5(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    found = {}
    for position in PAIRS:
        top = recommendations.recommend_need(user=office, need=need(position), top=5)
        found[position] = next(
            (
                (r.profile.university, r.rank, r.profile.discipline_code)
                for r in top.universities.items
                if r.profile.university == PAIRS[position][0]
            ),
            None,
        )
    assert found == PAIRS


def test_a_printing_and_dyeing_need_goes_to_the_textile_universities(demo_db: Demo) -> None:
    """The demo ranks among every university of the national lists, not only the case's: the
    strongest textile schools come up whether or not Yongji works with them yet."""
    top = recommendations.recommend_need(
        user=demo_db.users["office"], need=need("印染工艺工程师"), top=10
    )
    assert [(r.profile.university, r.profile.discipline_code) for r in top.universities.items] == [
        ("东华大学", "0821"),
        ("苏州大学", "0821"),
        ("天津工业大学", "0821"),
        ("四川大学", "0821"),
        ("西安工程大学", "0821"),
        ("江南大学", "0821"),
        ("武汉纺织大学", "0821"),
        ("浙江理工大学", "0821"),
        ("青岛大学", "0821"),
        ("大连工业大学", "0821"),
    ]
    partners = set(
        University.objects.filter(cooperations__isnull=False).values_list("name", flat=True)
    )
    newcomers = [r.profile.university for r in top.universities.items if r.cooperation_count == 0]
    assert newcomers == ["天津工业大学", "武汉纺织大学", "浙江理工大学", "青岛大学", "大连工业大学"]
    assert not partners & set(newcomers)
    first = top.universities.items[0]
    assert first.reasons[:3] == [
        "需求关键词命中：印染、染工、工艺、印染工艺、工程、染整、数码、印花、数码印花、废水、印染废水、"
        "节能、减排、节能减排",
        "学科对口：0821 纺织科学与工程",
        "纺织科学与工程：第四轮学科评估 A+，“双一流”建设学科（2022）",
    ]
    assert [e.profile.expert for e in top.experts.items][:2] == [
        Expert.objects.get(university__name="东华大学").name,
        Expert.objects.get(university__name="西安工程大学").name,
    ]


def test_the_need_page_shows_every_recommendation_with_its_why(demo_db: Demo) -> None:
    traction = need("牵引电机控制算法工程师")
    expert = Expert.objects.get(university__name="西安交通大学", disciplines__code="0808")
    html = demo_db.client("office").get(reverse("demand:need_detail", args=[traction.pk]))
    text = html.content.decode()
    xjtu = University.objects.get(name="西安交通大学")
    assert '<tr data-rank="1" data-name="西安交通大学">' in text
    assert f'href="/demand/supply/{xjtu.pk}/?discipline=0808">西安交通大学</a>' in text
    assert '<strong class="score">0.900</strong>' in text
    for reason in (
        "学科对口：0808 电气工程",
        "电气工程：第四轮学科评估 A+，“双一流”建设学科（2022）",
        "该校与本地已有 4 项合作",
        "距本地约 150 公里",
        "该校其他相关学科：0811 控制科学与工程",
    ):
        assert f"<li>{reason}</li>" in text
    assert f'<a href="/cooperation/?university={xjtu.pk}">查看与本地的合作（4）</a>' in text
    assert f'<tr data-rank="1" data-name="{expert.name}">' in text
    assert '<span class="part-label">文本相关</span>' in text


def test_experts_are_shown_only_to_who_may_see_them(demo_db: Demo) -> None:
    traction = need("牵引电机控制算法工程师")
    expert = Expert.objects.get(university__name="西安交通大学", disciplines__code="0808")
    text = (
        demo_db.client("enterprise")
        .get(reverse("demand:need_detail", args=[traction.pk]))
        .content.decode()
    )
    assert '<tr data-rank="1" data-name="西安交通大学">' in text
    assert expert.name not in text
    assert '<p class="empty">您没有查看专家库的权限</p>' in text
    found = recommendations.recommend_need(user=demo_db.users["enterprise"], need=traction)
    assert found.experts.items == ()


# The command line ----------------------------------------------------------------------------


def run(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("recommend", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_universities_and_experts_with_scores_and_reasons() -> None:
    out, _ = run("牵引电机控制算法", discipline=["0808"], degree="硕士", top=2)
    expert = Expert.objects.get(university__name="西安交通大学", disciplines__code="0808")
    lines = out.splitlines()
    assert lines[:4] == [
        "需求：牵引电机控制算法（学科 0808；学历 硕士）",
        "检索词：牵引、电机、牵引电机、控制、算法、控制算法",
        "",
        "推荐高校（按学科）",
    ]
    assert lines[4] == "  1. 西安交通大学  0808 电气工程  0.900"
    assert (
        lines[5]
        == "     文本相关 0.400  学科匹配 0.250  学科实力 0.150  省内优先 0.000  合作基础 0.100"
    )
    assert lines[6].startswith(
        "     理由：需求关键词命中：牵引、电机、牵引电机、控制；学科对口：0808 电气工程；"
    )
    assert lines[7] == "  2. 太原理工大学  0808 电气工程  0.851"
    assert "山西省高校（省校合作优先）" in lines[9]
    assert lines[10:12] == ["", "推荐专家"]
    assert lines[12] == f"  1. {expert.name}（西安交通大学，教授）  0808 电气工程  0.833"


def test_the_command_gives_json_objects() -> None:
    out, _ = run("鲜食枣设施栽培", discipline=["0902"], top=3, json=True)
    items = json.loads(out)
    assert [(i["kind"], i["university"], i["discipline"]) for i in items[:3]] == [
        ("university", "西北农林科技大学", "0902 园艺学"),
        ("university", "山西农业大学", "0902 园艺学"),
        ("university", "浙江大学", "0902 园艺学"),
    ]
    first = items[0]
    assert first["score"] == 0.8287
    assert first["reasons"][:2] == [
        "需求关键词命中：鲜食、鲜食枣、设施、栽培、设施栽培",
        "学科对口：0902 园艺学",
    ]
    assert [p["name"] for p in first["parts"]] == [
        "text", "discipline", "strength", "province", "cooperation",
    ]  # fmt: skip
    assert sum(p["points"] for p in first["parts"]) == pytest.approx(first["score"], abs=3e-4)
    assert items[3]["kind"] == "expert"
    assert items[3]["university"] == "西北农林科技大学"
    assert len(items) == 6


def test_a_nonsense_need_gets_a_clear_message_and_no_crash() -> None:
    out, _ = run("qwxz 火星移民")
    assert out.splitlines() == [
        "需求：qwxz 火星移民",
        "检索词：qwxz、火星、移民",
        "没有找到相关的高校或专家：需求中的“qwxz、火星、移民”在高校学科和专家画像中都没有出现，"
        "请换用专业术语、产品名称，或填写学科代码",
    ]
    out, err = run("qwxz", json=True)
    assert json.loads(out) == []
    assert err.startswith("没有找到相关的高校或专家")


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (("",), {}, "请给出需求描述，或用 --discipline 给出学科代码"),
        (("电机",), {"degree": "院士"}, "无法识别的学历“院士”，可选：博士、硕士、本科、大专"),
        (("电机",), {"discipline": ["9999"]}, "未知的学科代码：9999（应为一级学科代码，如 0808）"),
        (("电机",), {"top": 0}, "--top 至少为 1"),
    ],
)
def test_the_command_refuses_what_it_cannot_answer(
    args: tuple[str, ...], options: dict[str, object], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args, **options)


# The API -------------------------------------------------------------------------------------


def test_the_api_gives_a_need_its_recommendations(demo_db: Demo) -> None:
    traction = need("牵引电机控制算法工程师")
    url = reverse("api:demand_need_recommendations", kwargs={"need_id": traction.pk})
    body = demo_db.client("office").get(url, {"top": 3}).json()
    assert [u["university"] for u in body["universities"]] == [
        "西安交通大学", "太原理工大学", "华中科技大学",
    ]  # fmt: skip
    assert body["universities"][0]["discipline"] == "0808 电气工程"
    assert body["universities"][0]["grade"] == "A+"
    assert body["universities"][0]["cooperation_count"] == 4
    assert (
        body["experts"][0]["expert_id"]
        == Expert.objects.get(university__name="西安交通大学", disciplines__code="0808").pk
    )
    assert body["message"] == ""


def test_the_api_recommends_for_free_text_and_checks_the_degree(demo_db: Demo) -> None:
    client = demo_db.client("leader")
    url = reverse("api:demand_recommend")
    body = client.get(url, {"q": "无人机飞控", "discipline": "0825", "top": "1"}).json()
    assert [(u["university"], u["score"]) for u in body["universities"]] == [("西北工业大学", 0.9)]
    assert body["terms"] == ["无人", "人机", "无人机", "飞控"]
    wrong = client.get(url, {"q": "无人机", "degree": "院士"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid_degree"
    empty = client.get(url, {"q": ""}).json()
    assert empty["universities"] == []
    assert empty["message"] == "请填写需求描述（岗位、技术方向、产品等）或学科代码"


# Reverse, the visit list ---------------------------------------------------------------------


def test_a_university_page_lists_the_local_needs_it_fits(demo_db: Demo) -> None:
    xjtu = University.objects.get(name="西安交通大学")
    client = demo_db.client("office")
    text = client.get(reverse("demand:university", args=[xjtu.pk])).content.decode()
    first = need("牵引电机控制算法工程师")
    assert f'<tr data-need="{first.code}">' in text
    fits = recommendations.fitting_needs(user=demo_db.users["office"], university=xjtu)
    assert [(f.need.position, f.recommendation.rank) for f in fits[:3]] == [
        ("牵引电机控制算法工程师", 1),
        ("储能系统工程师", 1),
        ("金属3D打印工艺工程师", 1),
    ]
    body = client.get(
        reverse("api:demand_university_needs", kwargs={"university_id": xjtu.pk})
    ).json()
    assert [(f["need"]["code"], f["recommendation"]["rank"]) for f in body[:3]] == [
        (f.need.code, f.recommendation.rank) for f in fits[:3]
    ]
    # The enterprise's login sees its own needs only.
    own = recommendations.fitting_needs(user=demo_db.users["enterprise"], university=xjtu)
    assert {f.need.enterprise.name for f in own} == {"中车永济电机有限公司"}


def test_an_expert_page_lists_the_needs_that_fit_the_expert(demo_db: Demo) -> None:
    expert = Expert.objects.get(university__name="西北农林科技大学", disciplines__code="0902")
    text = (
        demo_db.client("office")
        .get(reverse("demand:expert_detail", args=[expert.pk]))
        .content.decode()
    )
    jujube = need("鲜食枣设施栽培技术员")
    assert f'<tr data-need="{jujube.code}">' in text
    fits = recommendations.fitting_needs(user=demo_db.users["office"], expert=expert)
    assert (fits[0].need.position, fits[0].recommendation.rank) == ("鲜食枣设施栽培技术员", 1)


def test_the_visit_list_says_which_universities_to_visit_for_what(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    from yanzhen.reference.models import LocalIndustry

    industry = LocalIndustry.objects.get(code="YJ-L01")
    needs, rows = recommendations.visit_list(user=office, industry=industry)
    assert len(needs) == 5
    assert [(r.university, len(r.needs), r.people) for r in rows[:4]] == [
        ("太原理工大学", 5, 13),
        ("华中科技大学", 5, 13),
        ("西安交通大学", 4, 11),
        ("西北工业大学", 4, 11),
    ]
    xjtu = rows[2]
    assert [name for _, name, _ in xjtu.experts] == list(
        Expert.objects.filter(
            university__name="西安交通大学", disciplines__code__in=["0808", "0802"]
        )
        .order_by("pk")
        .values_list("name", flat=True)
        .distinct()
    )
    client = demo_db.client("leader")
    page = client.get(reverse("demand:visit_list"), {"industry": "YJ-L01"}).content.decode()
    assert '<section class="panel visit" data-university="太原理工大学">' in page
    assert page.index('data-university="太原理工大学"') < page.index(
        'data-university="西安交通大学"'
    )
    export = client.get(reverse("demand:visit_list"), {"industry": "YJ-L01", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows_out = list(sheet.iter_rows(values_only=True))
    assert rows_out[0][:3] == ("高校", "省份", "距本地（公里）")
    assert [r[0] for r in rows_out[1:]] == [r.university for r in rows]
    assert client.get(reverse("demand:visit_list"), {"industry": "NOPE"}).status_code == 404
