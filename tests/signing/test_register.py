"""The demo's signed agreement through the register, the API, the download, the ceremony's
live page, the verification page and the expiry reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.engines.stages import Stage
from yanzhen.notifications.models import Notification
from yanzhen.signing import authority, pades, services
from yanzhen.signing.models import Agreement, AgreementState, Ceremony, Seal

ENTERPRISE = "中车永济电机有限公司"


@pytest.fixture
def signed(demo_db: Demo) -> Agreement:
    return Agreement.objects.get(state=AgreementState.SIGNED)


def test_the_demo_agreement_is_signed_by_every_party_and_in_the_ledger(signed: Agreement) -> None:
    report = pades.verify(services.read_pdf(signed), roots=[authority.root_asn1()])
    assert report.valid is True
    assert [(s.organisation, s.signer, s.level, s.trusted) for s in report.signatures] == [
        (ENTERPRISE, "企业人力资源经理", "PAdES-B-LT", True),
        ("永济市省校合作办公室", "省校合作办工作人员", "PAdES-B-LT", True),
    ]
    assert signed.parties.filter(signed_at__isnull=True).count() == 0
    cooperation = signed.cooperation
    assert cooperation.stage in (Stage.AGREEMENT, Stage.LANDED)
    [attachment] = cooperation.attachments.filter(title__startswith="电子签约协议")
    assert attachment.title == f"电子签约协议{signed.code}（签名已验证）"
    assert signed.versions.count() == 2
    assert signed.ceremony is not None


def test_the_case_figures_are_unchanged(demo_db: Demo) -> None:
    alive = Cooperation.objects.filter(approved=True)  # the figures count approved records
    assert alive.count() == 120
    assert alive.filter(agreement_date__isnull=False).count() == 81
    assert alive.filter(landed_date__isnull=False).count() == 63


def test_the_api_lists_signed_agreements_with_their_pdf_path(
    demo_db: Demo, signed: Agreement
) -> None:
    response = demo_db.client("office").get("/api/v1/agreements?state=signed")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 50)
    [item] = body["items"]
    assert item["id"] == signed.pk
    assert item["state"] == "signed"
    assert item["pdf_url"] == f"/signing/agreements/{signed.pk}/pdf/"
    assert [(p["label"], p["unit"]) for p in item["parties"]] == [
        ("甲方", ENTERPRISE),
        ("乙方", "永济市省校合作办公室"),
    ]
    assert all(p["signed_at"] for p in item["parties"])
    assert demo_db.client("office").get("/api/v1/agreements?state=draft").json()["count"] == 0
    bad = demo_db.client("office").get("/api/v1/agreements?state=done")
    assert bad.status_code == 422


def test_a_party_sees_and_downloads_it_and_another_unit_does_not(
    demo_db: Demo, signed: Agreement, make_user: object
) -> None:
    party = demo_db.client("enterprise")
    assert party.get("/api/v1/agreements?state=signed").json()["count"] == 1
    response = party.get("/api/v1/agreements?state=signed&page=1&page_size=10")
    assert response.json()["items"][0]["pdf_url"] == f"/signing/agreements/{signed.pk}/pdf/"
    download = party.get(reverse("signing:agreement_pdf", args=[signed.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == services.read_pdf(signed)  # type: ignore[attr-defined]

    other = unit_create(
        actor=None,
        parent=Unit.objects.get(name="开张镇"),
        name="别的企业",
        kind=UnitKind.ENTERPRISE,
    )
    stranger: User = make_user(other, DataScope.UNIT, ["signing.view_agreement"])  # type: ignore[operator]
    client = Client()
    client.force_login(stranger)
    assert client.get("/api/v1/agreements?state=signed").json()["count"] == 0
    assert client.get(reverse("signing:agreement_pdf", args=[signed.pk])).status_code == 404
    assert client.get(reverse("signing:agreement_detail", args=[signed.pk])).status_code == 404


def test_the_register_filters_and_exports(demo_db: Demo, signed: Agreement) -> None:
    client = demo_db.client("office")
    page = client.get(reverse("signing:agreement_list") + "?state=signed").content.decode()
    assert signed.code in page
    assert "2/2" in page
    empty = client.get(reverse("signing:agreement_list") + "?state=draft").content.decode()
    assert signed.code not in empty
    export = client.get(reverse("signing:agreement_list") + "?state=signed&export=csv")
    assert export.status_code == 200
    assert export.streaming is False
    assert signed.code in export.content.decode("utf-8-sig")


def test_the_ceremony_page_refreshes_its_board(demo_db: Demo, signed: Agreement) -> None:
    ceremony = Ceremony.objects.get()
    client = demo_db.client("office")
    url = reverse("signing:ceremony_detail", args=[ceremony.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 5s"' in page
    assert "已签署 3 / 4 个签名" in page
    board = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert board.lstrip().startswith('<section id="board"')
    assert "<html" not in board
    assert signed.title in board


def _verify(demo: Demo, name: str, data: bytes) -> str:
    response = demo.client("town").post(
        reverse("signing:verify"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_verification_page(demo_db: Demo, signed: Agreement) -> None:
    pdf = services.read_pdf(signed)
    page = _verify(demo_db, "a.pdf", pdf)
    assert "全部签名有效" in page
    assert "文件未被篡改" in page
    assert page.count("PAdES-B-LT") == 2
    at = pdf.index(b"/MediaBox")
    tampered = pdf[: at + 1] + b"N" + pdf[at + 2 :]
    page = _verify(demo_db, "b.pdf", tampered)
    assert "存在无效签名" in page
    assert "文件签署后被修改" in page
    assert "该文件不是已签名的 PDF 文件" in _verify(demo_db, "c.pdf", b"hello")


def test_expiry_reminders_go_once_to_the_parties(demo_db: Demo, signed: Agreement) -> None:
    day = signed.expires_on - dt.timedelta(days=25)
    out = io.StringIO()
    call_command("remind_agreements", "--today", day.isoformat(), stdout=out)
    sent = Notification.objects.filter(subject=f"signing.agreement:{signed.pk}")
    recipients = set(sent.values_list("recipient__username", flat=True))
    assert {"enterprise", "office"} <= recipients
    assert {n.title for n in sent} == {
        f"协议《{signed.title}》将于{signed.expires_on}到期，请商议续签"
    }
    assert out.getvalue() == f"已发送协议到期提醒 {sent.count()} 条\n"
    count = sent.count()
    assert services.remind_expiring(today=day) == 0
    assert services.remind_expiring(today=day + dt.timedelta(days=3)) == 0  # same threshold
    assert sent.count() == count


def test_a_seal_must_be_a_png_and_is_then_used(demo_db: Demo) -> None:
    client = demo_db.client("office")
    response = client.post(
        reverse("signing:seal"), {"image": SimpleUploadedFile("s.jpg", b"\xff\xd8\xffjpeg")}
    )
    assert "印章图片须为 PNG 格式" in response.content.decode()
    unit = demo_db.users["office"].unit
    assert not Seal.objects.filter(unit=unit).exists()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    response = client.post(reverse("signing:seal"), {"image": SimpleUploadedFile("s.png", png)})
    assert response.status_code == 302
    assert services.seal_png(unit) == png  # type: ignore[arg-type]
    assert client.get(reverse("signing:seal_image")).content == png
