"""The demo's 云签约: one framework agreement between 中车永济电机有限公司 and the county's
省校合作办, drafted from the template, revised once (a version with its diff), signed by both
parties' signers in the 2021 集中云签约 ceremony (its two obligations then milestones of the
base's work plan, both done in 2022), and recorded as the verified evidence of its
cooperation, which is already at "agreement" or beyond in the ledger: the case's figures stay
as they are (only an attachment is added). A second agreement of the ceremony, a project
agreement of another of the enterprise's cooperations, is signed by the enterprise and awaits
the office's signature (the ledger does not change until every party has signed). One CA for the whole demo; its keys are ECDSA P-256
(the TSA's RSA-2048), a fraction of a second.

Idempotent: the agreement is made once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yanzhen.cooperation.models import Cooperation, FollowUp
from yanzhen.cooperation.services import followups
from yanzhen.core.models import Unit, User
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.engines.stages import Stage
from yanzhen.signing import services
from yanzhen.signing.models import Agreement, AgreementKind
from yanzhen.supervision import services as supervision_services
from yanzhen.supervision.models import MilestoneStatus

AGREEMENT = [f"signing.{a}_agreement" for a in ("view", "add", "change")]
PERMISSIONS: dict[str, list[str]] = {
    "office": [
        *AGREEMENT,
        "signing.sign_agreement",
        "signing.export_agreement",
        "signing.add_ceremony",
        "signing.add_seal",
    ],
    "leader": ["signing.view_agreement", "signing.export_agreement"],
    "base_lead": ["signing.view_agreement"],
    "town": ["signing.view_agreement"],
    "enterprise": ["signing.view_agreement", "signing.sign_agreement", "signing.add_seal"],
}
# The landed projects' yearly follow-ups (entered by the projects' units, the lower ones'
# reviewed by the office).
FOLLOW_UP = [f"cooperation.{a}_followup" for a in ("view", "add")]
FOLLOW_UP_PERMISSIONS: dict[str, list[str]] = {
    "office": [*FOLLOW_UP, "cooperation.change_followup"],
    "leader": ["cooperation.view_followup"],
    "base_lead": ["cooperation.view_followup"],
    "town": FOLLOW_UP,
    "enterprise": FOLLOW_UP,
}
# Two of the enterprise's landed projects in 2021: output value and tax in 万元.
FOLLOW_UPS = (
    ("牵引电机控制技术联合研发", "3200.50", 45, 6, "210.30", "联合研发成果在永济量产"),
    ("轨道交通智能监控终端研制", "1850.00", 28, 3, "96.80", "监控终端批量供货"),
)
ENTERPRISE = "中车永济电机有限公司"
TITLE = "中车永济电机有限公司与永济市省校合作办科技合作框架协议"
PENDING_TITLE = "中车永济电机有限公司与永济市省校合作办项目合作协议"
OBLIGATIONS = (
    (ENTERPRISE, "建成校企联合研发中心", dt.date(2022, 6, 30), "联合研发中心挂牌运行"),
    (yongji.OFFICE, "协调落实研发人员住房与子女入学", dt.date(2022, 12, 31), "服务保障清单"),
)
DONE_ON = (dt.date(2022, 5, 20), dt.date(2022, 11, 30))
REVISION = "技术成果在永济优先转化；双方每半年召开一次合作会商会。"


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    grant(FOLLOW_UP_PERMISSIONS)
    _follow_ups(result)
    if Agreement.objects.filter(title=TITLE).exists():
        return
    enterprise = Unit.objects.get(name=ENTERPRISE)
    office_unit = Unit.objects.get(name=yongji.OFFICE)
    # The signed agreement's cooperation: the enterprise's latest at "agreement" or beyond
    # (轨道交通智能监控终端研制; the tests use its first, 牵引电机控制技术联合研发, bare); the
    # pending agreement's: its first.
    reached = Cooperation.objects.filter(
        parties=enterprise, stage__in=[Stage.AGREEMENT, Stage.LANDED]
    )
    cooperation = reached.order_by("-pk").first()
    if cooperation is None:
        return
    other = Cooperation.objects.filter(parties=enterprise).exclude(pk=cooperation.pk).first()
    if other is None:
        return
    office = User.objects.get(username="office")
    signer = User.objects.get(username="enterprise")
    starts_on = cooperation.agreement_date or dt.date(2021, 6, 1)
    agreement = services.agreement_create(
        actor=office,
        cooperation=cooperation,
        kind=AgreementKind.FRAMEWORK,
        title=TITLE,
        starts_on=starts_on,
        expires_on=starts_on.replace(year=starts_on.year + 5),
        parties=[
            services.PartyData(unit=enterprise, signer=signer),
            services.PartyData(unit=office_unit, signer=office),
        ],
    )
    for party, title, due, deliverable in OBLIGATIONS:
        services.obligation_add(
            actor=office,
            agreement=agreement,
            unit=enterprise if party == ENTERPRISE else office_unit,
            title=title,
            due_date=due,
            deliverable=deliverable,
        )
    first = services.latest_version(agreement)
    services.agreement_revise(
        actor=office,
        agreement=agreement,
        content=f"{first.content}\n{REVISION}",
        note="增加成果转化与会商条款",
    )
    pending = services.agreement_create(
        actor=office,
        cooperation=other,
        kind=AgreementKind.PROJECT,
        title=PENDING_TITLE,
        starts_on=starts_on,
        expires_on=starts_on.replace(year=starts_on.year + 3),
        parties=[
            services.PartyData(unit=enterprise, signer=signer),
            services.PartyData(unit=office_unit, signer=office),
        ],
    )
    services.ceremony_create(
        actor=office,
        title="永济市2021年省校合作集中云签约",
        owner_unit=office_unit,
        held_on=starts_on,
        agreements=[agreement, pending],
    )
    for each in (agreement, pending):
        services.agreement_send(actor=office, agreement=each)
    # The demo's loader signs for the signers: no second factor to type.
    for user in (signer, office):
        services.agreement_sign(request=None, actor=user, agreement=agreement, token=None)
    services.agreement_sign(request=None, actor=signer, agreement=pending, token=None)
    # The obligations became milestones of the base's work plan on the last signature; both
    # were done on time (the figures of 2021 and the overdue milestones stay as they were).
    for obligation, done in zip(
        agreement.obligations.select_related("milestone").order_by("due_date"),
        DONE_ON,
        strict=True,
    ):
        assert obligation.milestone is not None
        supervision_services.milestone_update(
            actor=None, milestone=obligation.milestone, status=MilestoneStatus.DONE, done_date=done
        )
    result.add("agreements", 2)
    result.add("ceremonies")
    result.add("signatures", 3)


def _follow_ups(result: DemoResult) -> None:
    """The 2021 follow-ups of two landed projects, entered by the office (accepted at once);
    the ledger's figures do not change."""
    office = User.objects.get(username="office")
    for title, output, jobs, patents, tax, note in FOLLOW_UPS:
        cooperation = Cooperation.objects.filter(title=title, stage=Stage.LANDED).first()
        if cooperation is None or FollowUp.objects.filter(cooperation=cooperation).exists():
            continue
        followups.followup_submit(
            actor=office,
            cooperation=cooperation,
            data=followups.FollowUpData(
                year=2021,
                output_value=Decimal(output),
                jobs=jobs,
                patents=patents,
                tax=Decimal(tax),
                note=note,
            ),
        )
        result.add("follow_ups")
