"""Briefings on the Yongji demo: the 2021 annual summary with the case's figures computed from
records; template errors beside the template; drafting → review by another office member → 签发
by the leader (flows of core.workflow in the review inbox, audited, notified); issuing freezes each figure with its
records, so the briefing reads the same after a record changes and flags the change; the .docx
(python-docx) and the PDF (LibreOffice, pdftotext, pdfinfo)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import docx
import pytest
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn

from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import ApprovalRequest
from yanzhen.notifications.models import Notification
from yanzhen.reports import briefings
from yanzhen.reports.figures import records_hash
from yanzhen.reports.models import Briefing, BriefingFigure

pytestmark = pytest.mark.usefixtures("demo_db")

SENTENCES = (
    "市委常委会3次专题研究省校合作工作，市领导带队赴高校对接5次，举办推介会3次。建成12大合作基地",
    "全年与38所高校（院所）达成合作意向120项，签订合作协议81项，落地项目63个，落地投资56369万元。",
    "开展国际合作1项，34名学生参与线上培养。高校1名专家来我市挂职。",
    "全年引进各类人才131名，其中博士研究生1名、硕士研究生106名。8名选调生全部安排到镇村工作，"
    "7名医学毕业生全部充实到医院，69名大学生分配到19个单位实习实训。",
    "永济面食产业学院开设9个专业、20个类别、52门课程，“永济好面”品牌连锁门店达到106家。",
)
HEADINGS = (
    "一、强化工作主动，高位推动省校合作",
    "二、聚焦产业而动，推动校地精准对接",
    "三、凸显集聚效应，广纳各类人才",
    "四、巩固拓展成果，打造特色品牌",
)


def _summary() -> Briefing:
    return Briefing.objects.get(title="永济市2021年省校合作工作总结")


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _issue(demo_db: Demo, briefing: Briefing) -> None:
    url = reverse("reports:briefing_decide", args=[briefing.pk])
    demo_db.client("office").post(reverse("reports:briefing_submit", args=[briefing.pk]))
    demo_db.client("reviewer").post(url, {"decision": "approve"})
    demo_db.client("leader").post(url, {"decision": "approve"})


def test_the_demo_summary_states_the_case_from_records(demo_db: Demo) -> None:
    briefing = _summary()
    response = demo_db.client("office").get(reverse("reports:briefing_detail", args=[briefing.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    for sentence in (*SENTENCES, *HEADINGS):
        assert sentence in text
    links = dict(re.findall(r'href="([^"]+)" data-figure="([^"]+)"', html))
    figure_links = {key: url.replace("&amp;", "&") for url, key in links.items()}
    assert len(figure_links) == 23
    count = _listed(demo_db.client("office"), figure_links["合作意向数"])
    assert count == 120


def _listed(client: Client, url: str) -> int:
    found = re.search(r"共 (\d+) 条", client.get(url).content.decode())
    assert found is not None, url
    return int(found.group(1))


def test_a_template_error_is_shown_beside_the_template(demo_db: Demo) -> None:
    briefing = _summary()
    client = demo_db.client("office")
    url = reverse("reports:briefing_edit", args=[briefing.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["unit"] = briefing.unit.pk
    data["text"] = "第一段\n全年新增{合作意向}项"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert errors == ["第2行第6列：未知的指标“合作意向”，是否要写“合作意向数”？"]
    assert Briefing.objects.get(pk=briefing.pk).text == briefing.text


def test_review_by_another_member_then_signing_by_the_leader(demo_db: Demo) -> None:
    briefing = _summary()
    url = reverse("reports:briefing_decide", args=[briefing.pk])
    office = demo_db.client("office")
    office.post(reverse("reports:briefing_submit", args=[briefing.pk]))
    assert briefings.state_of(briefing) == briefings.State.IN_REVIEW
    office.post(url, {"decision": "approve"})  # the drafter reviews their own: refused
    assert briefings.state_of(briefing) == briefings.State.IN_REVIEW
    demo_db.client("leader").post(url, {"decision": "approve"})  # not a reviewer
    assert briefings.state_of(briefing) == briefings.State.IN_REVIEW
    demo_db.client("reviewer").post(url, {"decision": "approve"})
    assert briefings.state_of(briefing) == briefings.State.AWAITING_SIGN
    demo_db.client("reviewer").post(url, {"decision": "approve"})  # reviewers do not sign
    assert briefings.state_of(briefing) == briefings.State.AWAITING_SIGN
    demo_db.client("leader").post(url, {"decision": "approve"})
    issued = Briefing.objects.get(pk=briefing.pk)
    assert briefings.state_of(issued) == briefings.State.ISSUED
    assert (issued.drafter.username, issued.reviewed_by.username, issued.signed_by.username) == (  # type: ignore[union-attr]
        "office",
        "reviewer",
        "leader",
    )
    steps = list(
        ApprovalRequest.objects.filter(target_id=briefing.pk, kind__startswith="reports.")
        .order_by("id")
        .values_list("kind", "state", "requester__username", "approver__username")
    )
    assert steps == [
        ("reports.briefing_review", "approved", "office", "reviewer"),
        ("reports.briefing_sign", "approved", "reviewer", "leader"),
    ]
    logged = [
        (e.detail["request_kind"], e.detail["state"])
        for e in SecurityEvent.objects.filter(kind="review").order_by("id")
        if e.detail["request_kind"].startswith("reports.")
    ]
    assert logged == [
        ("reports.briefing_review", "requested"),
        ("reports.briefing_sign", "requested"),
        ("reports.briefing_review", "approved"),
        ("reports.briefing_sign", "approved"),
    ]
    told = set(
        Notification.objects.filter(kind="briefing.issued").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"office", "reviewer"} <= told
    assert "leader" not in told


def test_a_returned_briefing_is_a_draft_again(demo_db: Demo) -> None:
    briefing = _summary()
    demo_db.client("office").post(reverse("reports:briefing_submit", args=[briefing.pk]))
    demo_db.client("reviewer").post(
        reverse("reports:briefing_decide", args=[briefing.pk]),
        {"decision": "refuse", "note": "请补充人才工作"},
    )
    assert briefings.state_of(briefing) == briefings.State.DRAFT


def test_the_leader_changes_nothing_else(demo_db: Demo) -> None:
    briefing = _summary()
    leader = demo_db.client("leader")
    url = reverse("reports:briefing_edit", args=[briefing.pk])
    assert leader.post(url, {"title": "改", "text": "改"}).status_code == 403
    assert leader.get(reverse("reports:briefing_new")).status_code == 403
    leader.post(reverse("reports:briefing_submit", args=[briefing.pk]))
    after = Briefing.objects.get(pk=briefing.pk)
    assert (after.title, after.text, after.version) == (briefing.title, briefing.text, 1)
    assert briefings.state_of(after) == briefings.State.DRAFT


def test_issuing_freezes_every_figure_with_its_records(demo_db: Demo) -> None:
    briefing = _summary()
    _issue(demo_db, briefing)
    frozen = {f.key: f for f in BriefingFigure.objects.filter(briefing=briefing)}
    assert len(frozen) == 23
    assert {k: frozen[k].value for k in ("合作意向数", "人才数", "门店数", "落地投资")} == {
        "合作意向数": "120",
        "人才数": "131",
        "门店数": "106",
        "落地投资": "56369",
    }
    intentions = frozen["合作意向数"]
    assert intentions.model == "cooperation.cooperation"
    assert len(intentions.records) == 120
    assert intentions.records_hash == records_hash(
        "cooperation.cooperation", [(pk, v) for pk, v in intentions.records]
    )
    assert intentions.filter == {
        "start": "2021-01-01",
        "end": "2021-12-31",
        "unit": "140881",
        "unit_id": briefing.unit.pk,
        "figure": "合作意向数",
    }
    assert len(Briefing.objects.get(pk=briefing.pk).snapshot_hash) == 64


def test_an_issued_briefing_reads_the_same_and_flags_a_changed_figure(demo_db: Demo) -> None:
    briefing = _summary()
    _issue(demo_db, briefing)
    landed = Cooperation.objects.filter(landed_date__year=2021).order_by("pk").first()
    assert landed is not None
    Cooperation.objects.filter(pk=landed.pk).update(landed_date=None, stage="agreement")
    client = demo_db.client("office")
    html = client.get(reverse("reports:briefing_detail", args=[briefing.pk])).content.decode()
    text = _text(html)
    assert SENTENCES[1] in text  # still 63 landed, as issued
    assert "落地数：印发时 63，现为 62" in text
    figure = BriefingFigure.objects.get(briefing=briefing, key="落地数")
    records = client.get(reverse("reports:briefing_figure", args=[briefing.pk, figure.pk]))
    assert "共 63 条" in records.content.decode()
    data = client.get(reverse("reports:briefing_docx", args=[briefing.pk])).content
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert any("落地项目63个" in p for p in paragraphs)


def test_the_docx_is_a_gongwen(demo_db: Demo) -> None:
    briefing = _summary()
    response = demo_db.client("office").get(reverse("reports:briefing_docx", args=[briefing.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)  # type: ignore[union-attr]
    assert (section.top_margin.mm, section.bottom_margin.mm) == pytest.approx((37, 35), abs=0.1)  # type: ignore[union-attr]
    assert (section.left_margin.mm, section.right_margin.mm) == pytest.approx((28, 26), abs=0.1)  # type: ignore[union-attr]
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "永济市省校合作工作领导小组办公室文件"
    assert "永合办〔2021〕12号" in texts
    assert "永济市2021年省校合作工作总结" in texts
    assert "运城市省校合作工作领导小组办公室：" in texts
    for heading in HEADINGS:
        assert heading in texts

    def east_asian(paragraph: Any) -> str:
        fonts = paragraph.style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
        return str(fonts.get(qn("w:eastAsia")))

    masthead = document.paragraphs[0]
    assert east_asian(masthead) == "方正小标宋简体"
    color = masthead.runs[0]._r.find(qn("w:rPr")).find(qn("w:color"))
    assert color.get(qn("w:val")) == "FF0000"
    body = next(p for p in document.paragraphs if p.text.startswith("全年与38所"))

    first = next(p for p in document.paragraphs if p.text == HEADINGS[0])
    title = next(p for p in document.paragraphs if p.text == "永济市2021年省校合作工作总结")
    assert (east_asian(body), east_asian(first), east_asian(title)) == (
        "仿宋_GB2312",
        "黑体",
        "方正小标宋简体",
    )
    assert body.text == SENTENCES[1] + SENTENCES[2]


@pytest.mark.libreoffice
def test_the_pdf_reads_back(demo_db: Demo) -> None:
    briefing = _summary()
    response = demo_db.client("office").get(reverse("reports:briefing_pdf", args=[briefing.pk]))
    assert response.status_code == 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "summary.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
    assert "A4" in info
    flat = re.sub(r"\s+", "", text)
    assert "永济市2021年省校合作工作总结" in flat
    assert "达成合作意向120项" in flat
    assert "强化工作主动" in flat
