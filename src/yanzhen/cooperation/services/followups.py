"""The yearly follow-up of landed cooperations (落地项目年度跟踪): each year a landed
project's unit enters what it yielded (output value, jobs, patents, tax). A lower unit's
figures wait for the county office's review (``core.workflow``, the same reviewer and
permission as the ledger's reports) and count once accepted; the office's own count at once.
A returned follow-up is corrected by entering its year again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation.models import Cooperation, FollowUp, FollowUpReview
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.counties import needs_review, settings_for
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, Unit, User
from yanzhen.core.services import validate
from yanzhen.core.workflow import Flow, register_flow, review_submit
from yanzhen.engines.stages import Stage

FOLLOW_UP_KIND = "cooperation.follow_up"
REVIEW_PERM = "cooperation.review_cooperation"


def _error(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: message})


@dataclass(frozen=True)
class FollowUpData:
    year: int
    output_value: Decimal = Decimal(0)
    jobs: int = 0
    patents: int = 0
    tax: Decimal = Decimal(0)
    note: str = ""


def _reviewer(follow_up: FollowUp, unit: Unit | None) -> Unit | None:
    settings = settings_for(unit)
    return settings.office if settings is not None else None


def _accept(approval: ApprovalRequest, approver: User) -> None:
    FollowUp.objects.filter(pk=approval.target_id).update(
        review=FollowUpReview.ACCEPTED, updated_by=approver, updated_at=timezone.now()
    )


def _return(approval: ApprovalRequest, approver: User) -> None:
    FollowUp.objects.filter(pk=approval.target_id).update(review=FollowUpReview.RETURNED)


FOLLOW_UP_FLOW = register_flow(
    Flow(
        code=FOLLOW_UP_KIND,
        label="落地项目年度跟踪",
        model=FollowUp,
        permission=REVIEW_PERM,
        reviewer=_reviewer,
        title=lambda f: f"{f.cooperation.code} {f.cooperation.title} {f.year}年",
        url=lambda f: reverse("cooperation:followup_list") + f"?year={f.year}",
        apply=_accept,
        on_return=_return,
    )
)


def _check(cooperation: Cooperation, data: FollowUpData) -> None:
    if cooperation.stage != Stage.LANDED or cooperation.landed_date is None:
        raise _error("cooperation", "只有已落地的合作项目才填报年度跟踪")
    this_year = timezone.localdate().year
    if not cooperation.landed_date.year <= data.year <= this_year:
        raise _error(
            "year", f"年度须在落地年度（{cooperation.landed_date.year}）至今年（{this_year}）之间"
        )
    for field, label, value in (
        ("output_value", "产值", data.output_value),
        ("tax", "税收", data.tax),
    ):
        if value < 0:
            raise _error(field, f"{label}不能为负数")


@transaction.atomic
def followup_submit(*, actor: User, cooperation: Cooperation, data: FollowUpData) -> FollowUp:
    """Enter the follow-up of ``cooperation`` for ``data.year`` (or correct a returned one).
    The actor sees the cooperation (its owner or a party); a lower unit's entry goes to the
    office for review, the office's takes effect at once."""
    if not cooperation_qs(actor).filter(pk=cooperation.pk).exists():
        raise _error("cooperation", "该合作项目不在您的数据范围内", "out_of_scope")
    cooperation = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    _check(cooperation, data)
    follow_up = FollowUp.objects.filter(cooperation=cooperation, year=data.year).first()
    if follow_up is not None and follow_up.review != FollowUpReview.RETURNED:
        raise _error(
            "year", f"该合作项目{data.year}年的跟踪记录已填报（{follow_up.get_review_display()}）"
        )
    if follow_up is None:
        follow_up = FollowUp(cooperation=cooperation, year=data.year, created_by=actor)
    follow_up.output_value = data.output_value
    follow_up.jobs = data.jobs
    follow_up.patents = data.patents
    follow_up.tax = data.tax
    follow_up.note = data.note.strip()
    follow_up.updated_by = actor
    lower = needs_review(actor)
    follow_up.review = FollowUpReview.SUBMITTED if lower else FollowUpReview.ACCEPTED
    validate(follow_up)
    follow_up.save()
    if lower:
        review_submit(flow=FOLLOW_UP_FLOW, target=follow_up, actor=actor, unit=actor.unit)
    return follow_up
