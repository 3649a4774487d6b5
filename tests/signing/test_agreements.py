"""Agreements through the pages and services: drafted from a template, revised in versions
with a diff, rendered to PDF with Chinese fonts (LibreOffice), signed by each party's signer
with the second factor, and recorded in the cooperation's ledger when all have signed."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation, StageEvent
from yanzhen.core.models import Unit, User
from yanzhen.engines.stages import Stage
from yanzhen.signing import authority, pades, services
from yanzhen.signing.models import Agreement, AgreementState, AgreementVersion

ENTERPRISE = "中车永济电机有限公司"


def _token(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _intention(demo: Demo) -> Cooperation:
    enterprise = Unit.objects.get(name=ENTERPRISE)
    cooperation = Cooperation.objects.filter(stage=Stage.INTENTION).order_by("pk").first()
    assert cooperation is not None
    cooperation.parties.add(enterprise)
    return cooperation


def _draft(demo: Demo, cooperation: Cooperation) -> Agreement:
    office, enterprise = demo.users["office"], demo.users["enterprise"]
    return services.agreement_create(
        actor=office,
        cooperation=cooperation,
        kind="project",
        title="测试项目协议",
        starts_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2028, 12, 31),
        parties=[
            services.PartyData(unit=enterprise.unit, signer=enterprise),  # type: ignore[arg-type]
            services.PartyData(unit=office.unit, signer=office),  # type: ignore[arg-type]
        ],
    )


def test_the_office_drafts_an_agreement_from_the_template(demo_db: Demo) -> None:
    cooperation = _intention(demo_db)
    office, enterprise = demo_db.users["office"], demo_db.users["enterprise"]
    response = demo_db.client("office").post(
        reverse("signing:agreement_new"),
        {
            "cooperation": cooperation.pk,
            "kind": "framework",
            "title": "",
            "starts_on": "2026-03-01",
            "expires_on": "2031-02-28",
            "signer_1": enterprise.pk,
            "signer_2": office.pk,
        },
    )
    agreement = Agreement.objects.get(cooperation=cooperation, kind="framework")
    assert response.status_code == 302
    assert response["Location"] == reverse("signing:agreement_detail", args=[agreement.pk])
    assert agreement.title == f"{cooperation.title}合作协议"
    assert agreement.state == AgreementState.DRAFT
    assert agreement.code == "XY2026-0001"
    assert [(p.label, p.unit.name, p.signer.username) for p in agreement.parties.all()] == [
        ("甲方", ENTERPRISE, "enterprise"),
        ("乙方", office.unit.name, "office"),  # type: ignore[union-attr]
    ]
    [version] = agreement.versions.all()
    assert version.number == 1
    assert f"就“{cooperation.title}”开展全面合作" in version.content
    assert "本协议自2026年3月1日起至2031年2月28日止。" in version.content


def test_bad_input_is_named_and_nothing_is_saved(demo_db: Demo) -> None:
    cooperation = _intention(demo_db)
    office, enterprise = demo_db.users["office"], demo_db.users["enterprise"]
    data = {
        "cooperation": cooperation.pk,
        "kind": "framework",
        "starts_on": "2026-03-01",
        "expires_on": "2026-02-01",
        "signer_1": enterprise.pk,
        "signer_2": office.pk,
    }
    client = demo_db.client("office")
    response = client.post(reverse("signing:agreement_new"), data)
    assert response.status_code == 200
    assert "到期日期须晚于起始日期" in response.content.decode()
    response = client.post(
        reverse("signing:agreement_new"),
        {**data, "expires_on": "2027-01-01", "signer_2": enterprise.pk},
    )
    assert "第2个签约单位重复：中车永济电机有限公司" in response.content.decode()
    assert Agreement.objects.filter(cooperation=cooperation).count() == 0


def test_a_revision_is_a_new_version_with_its_diff(demo_db: Demo) -> None:
    agreement = _draft(demo_db, _intention(demo_db))
    first = agreement.versions.get()
    client = demo_db.client("office")
    response = client.post(
        reverse("signing:agreement_revise", args=[agreement.pk]),
        {"content": first.content + "\n新增条款：双方每季度会商一次。", "note": "增加会商"},
    )
    assert response.status_code == 302
    assert list(agreement.versions.values_list("number", "note")) == [
        (1, "依据模板起草"),
        (2, "增加会商"),
    ]
    page = client.get(reverse("signing:agreement_detail", args=[agreement.pk])).content.decode()
    assert "<ins>+ 新增条款：双方每季度会商一次。</ins>" in page
    # The same text again is refused, and makes no version.
    response = client.post(
        reverse("signing:agreement_revise", args=[agreement.pk]),
        {"content": first.content + "\n新增条款：双方每季度会商一次。", "note": ""},
    )
    assert "正文与上一版相同" in response.content.decode()
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 2


def test_only_the_parties_signer_may_open_the_signing_page(demo_db: Demo) -> None:
    agreement = _draft(demo_db, _intention(demo_db))
    Agreement.objects.filter(pk=agreement.pk).update(state=AgreementState.SIGNING)
    url = reverse("signing:agreement_sign", args=[agreement.pk])
    assert demo_db.client("leader").get(url).status_code == 403  # no permission to sign
    assert demo_db.client("town").get(url).status_code == 403
    assert demo_db.client("enterprise").get(url).status_code == 200


@pytest.mark.libreoffice
def test_every_party_signs_and_the_cooperation_moves_to_agreement(demo_db: Demo) -> None:
    cooperation = _intention(demo_db)
    agreement = _draft(demo_db, cooperation)
    office, enterprise = demo_db.users["office"], demo_db.users["enterprise"]
    TOTPDevice.objects.create(user=enterprise, name="测试", confirmed=True)
    if not TOTPDevice.objects.filter(user=office, confirmed=True).exists():
        TOTPDevice.objects.create(user=office, name="测试", confirmed=True)
    response = demo_db.client("office").post(reverse("signing:agreement_send", args=[agreement.pk]))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNING
    pdf = services.read_pdf(agreement)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "测试项目协议" in text
        assert f"甲方：{ENTERPRISE}" in text

    signer = Client()
    signer.force_login(enterprise)
    url = reverse("signing:agreement_sign", args=[agreement.pk])
    response = signer.post(url, {"token": "000000" if _token(enterprise) != "000000" else "111111"})
    assert response.status_code == 200
    assert "动态口令不正确或已使用过" in response.content.decode()
    agreement.refresh_from_db()
    assert services.read_pdf(agreement) == pdf  # nothing signed
    assert agreement.parties.filter(signed_at__isnull=False).count() == 0

    assert signer.post(url, {"token": _token(enterprise)}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNING
    cooperation.refresh_from_db()
    assert cooperation.stage == Stage.INTENTION

    office_client = demo_db.client("office")
    response = office_client.post(url, {"token": _token(office)})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNED
    report = pades.verify(services.read_pdf(agreement), roots=[authority.root_asn1()])
    assert report.valid is True
    assert [(s.organisation, s.level) for s in report.signatures] == [
        (ENTERPRISE, "PAdES-B-LT"),
        (office.unit.name, "PAdES-B-LT"),  # type: ignore[union-attr]
    ]
    cooperation.refresh_from_db()
    assert cooperation.stage == Stage.AGREEMENT
    event = StageEvent.objects.filter(cooperation=cooperation).latest("pk")
    assert (event.from_stage, event.to_stage) == (Stage.INTENTION, Stage.AGREEMENT)
    assert event.reason == f"云签约：《测试项目协议》各方电子签名已验证（{agreement.code}）"
    with event.evidence.open("rb") as handle:
        assert handle.read() == services.read_pdf(agreement)
