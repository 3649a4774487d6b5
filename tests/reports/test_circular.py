"""The assessment 通报 as a 公文 (GB/T 9704-2012) beside the XLSX: the .docx names its fonts for
East Asian text, carries the title, the 发文字号 and the ranking with the exact points of the
demo's 2021 annual assessment of the bases; the PDF (LibreOffice) reads back the same; an
outsider's period is not found and nothing is written."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import Demo
from tests.reports.test_gongwen import NS, Docx, W, fonts_and_size, named, text_of
from yanzhen.assessment.models import Period

pytestmark = pytest.mark.usefixtures("demo_db")

TITLE = "关于2021年度省校合作量化考核指标体系考核结果的通报"
FORM = {
    "masthead": "永济市省校合作工作领导小组办公室文件",
    "number": "永合办〔2022〕3号",
    "recipients": "各基地牵头部门",
    "copy_to": "市委办公室、市政府办公室",
    "signature": "永济市省校合作工作领导小组办公室",
}
RANKING = [
    ["排名", "考核对象", "工作推进", "合作成效", "人才支撑", "总分", "等次"],
    ["1", "开发区科技创新基地", "20.83", "48.00", "35.67", "104.50", "优秀"],
    ["2", "智能制造与增材制造成果转化基地", "27.50", "46.00", "21.00", "94.50", "优秀"],
    ["3", "乡村振兴校村结对基地", "27.50", "48.00", "15.00", "90.50", "优秀"],
    ["4", "现代农业科技示范基地", "20.00", "46.00", "23.67", "89.67", "良好"],
    ["5", "新材料与精细化工产学研基地", "17.50", "48.00", "23.67", "89.17", "良好"],
    ["6", "轨道交通与电机电器产学研基地", "29.17", "35.35", "23.67", "88.19", "良好"],
    ["7", "文化旅游融合发展基地", "17.50", "23.87", "21.67", "63.04", "合格"],
    ["8", "面食产业人才培训基地", "28.33", "14.43", "20.00", "62.76", "合格"],
    ["9", "鲜食枣与果业科技小院基地", "28.33", "15.11", "14.00", "57.44", "需改进"],
    ["10", "基础教育合作基地", "28.33", "4.61", "23.00", "55.94", "需改进"],
    ["11", "医疗卫生合作基地", "21.67", "1.00", "20.00", "42.67", "需改进"],
    ["12", "实习实训与人才引进基地", "27.50", "2.43", "8.00", "37.93", "需改进"],
]


def _period() -> Period:
    return Period.objects.get(name="2021年度", config__subject_kind="base")


def _post(demo: Demo, user: str, fmt: str) -> tuple[int, bytes]:
    url = reverse("reports:assessment_circular", args=[_period().pk])
    response = demo.client(user).post(url, {**FORM, "fmt": fmt})
    return response.status_code, response.content


def test_the_docx_is_a_gongwen_with_the_exact_ranking(demo_db: Demo) -> None:
    status, content = _post(demo_db, "office", "docx")
    assert status == 200
    doc = Docx(content)
    assert fonts_and_size(doc.style("GwTitle")) == (named("方正小标宋简体"), "44", False)
    assert fonts_and_size(doc.style("Normal")) == (named("仿宋_GB2312"), "32", False)
    assert fonts_and_size(doc.style("GwHeading1")) == (named("黑体"), "32", False)
    paragraphs = doc.paragraphs()
    assert paragraphs[:9] == [
        ("GwMasthead", "永济市省校合作工作领导小组办公室文件"),
        ("GwFlush", ""),
        ("GwFlush", ""),
        ("GwCentered", "永合办〔2022〕3号"),
        ("GwFlush", ""),
        ("GwFlush", ""),
        ("GwTitle", TITLE),
        ("GwFlush", ""),
        ("GwFlush", "各基地牵头部门："),
    ]
    assert ("GwHeading1", "一、考核结果") in paragraphs
    assert ("GwHeading1", "二、有关说明") in paragraphs
    tables = [
        [[text_of(c) for c in r.findall("w:tc", NS)] for r in t.findall("w:tr", NS)]
        for t in doc.body.iter(f"{W}tbl")
    ]
    assert [t for t in tables if t and t[0][:2] == ["排名", "考核对象"]] == [RANKING]


@pytest.mark.libreoffice
def test_the_pdf_reads_back_the_title_number_and_ranking(demo_db: Demo) -> None:
    status, content = _post(demo_db, "office", "pdf")
    assert status == 200
    assert content.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.pdf"
        path.write_bytes(content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, check=True, text=True
        ).stdout
    flat = "".join(text.split())
    assert "永合办〔2022〕3号" in flat
    assert "考核结果的通报" in flat
    assert "开发区科技创新基地" in flat
    for row in RANKING[1:]:
        assert "".join(row[2:6]) in flat.replace(row[1], ""), row
    assert "x 841.89 pts (A4)" in info


def test_a_missing_number_is_named_and_nothing_written(demo_db: Demo) -> None:
    url = reverse("reports:assessment_circular", args=[_period().pk])
    response = demo_db.client("office").post(url, {**FORM, "number": "", "fmt": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "发文字号" in response.content.decode()


def test_a_user_without_the_assessment_gets_403(demo_db: Demo) -> None:
    status, content = _post(demo_db, "enterprise", "docx")
    assert status == 403
    assert not content.startswith(b"PK")
    assert io.BytesIO(content).read(2) != b"PK"
