"""The landed projects' yearly follow-ups in the API (``/api/v1/follow-ups``): the list in the
data scope and the entry of a year, through the same selectors and service as the pages."""

from __future__ import annotations

from ninja import Query, Router, Status

from yanzhen.cooperation import followup_selectors as selectors
from yanzhen.cooperation.followup_schemas import FollowUpIn, FollowUpOut, FollowUpQuery
from yanzhen.cooperation.models import FollowUp
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.cooperation.services import followups as services
from yanzhen.core.api import ERRORS, api_fields, page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import Page

router = Router(tags=["省校合作"])


def followup_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=f.pk,
        cooperation_id=f.cooperation_id,
        cooperation_code=f.cooperation.code,
        cooperation=f.cooperation.title,
        owner_unit=f.cooperation.owner_unit.name,
        year=f.year,
        output_value=f.output_value,
        jobs=f.jobs,
        patents=f.patents,
        tax=f.tax,
        note=f.note,
        review=f.review,
        review_label=f.get_review_display(),
    )


@router.get("/follow-ups", response={200: Page[FollowUpOut], **ERRORS})
def list_follow_ups(
    request: AuthenticatedHttpRequest, query: Query[FollowUpQuery]
) -> dict[str, object]:
    """The yearly follow-ups of landed cooperations in the user's scope, the latest year first."""
    require(request, "cooperation.view_followup")
    qs = selectors.followup_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items: list[object] = [followup_out(f) for f in qs[(page - 1) * size : page * size]]
    return page_of(items, qs.count(), page, size)


@router.post("/follow-ups", response={201: FollowUpOut, **ERRORS})
def create_follow_up(request: AuthenticatedHttpRequest, body: FollowUpIn) -> Status[FollowUpOut]:
    """Enter a landed cooperation's follow-up for a year (or correct a returned one); a lower
    unit's waits for the office's review (``review: "submitted"``)."""
    require(request, "cooperation.add_followup")
    user = request.user
    cooperation = cooperation_qs(user).filter(pk=body.cooperation_id).first()
    if cooperation is None:
        message = "合作项目不存在或不在您的数据范围内"
        raise DomainError("not_found", message, {"cooperation_id": message}, status=404)
    data = body.model_dump(exclude={"cooperation_id"})
    with api_fields({"cooperation": "cooperation_id"}):
        created = services.followup_submit(
            actor=user, cooperation=cooperation, data=services.FollowUpData(**data)
        )
    created = selectors.followup_shown(created)
    return Status(201, followup_out(created))
