"""云签约 in the API: the agreement register (``GET /api/v1/agreements?state=signed``)."""

from __future__ import annotations

from django.urls import reverse
from ninja import Query, Router

from yanzhen.core.api import page_of, require
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import ErrorOut, Page
from yanzhen.signing import selectors
from yanzhen.signing.models import Agreement
from yanzhen.signing.schemas import AgreementOut, AgreementQuery, PartyOut

router = Router(tags=["云签约"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def agreement_out(a: Agreement) -> AgreementOut:
    return AgreementOut(
        id=a.pk,
        code=a.code,
        title=a.title,
        kind=a.kind,
        kind_label=a.get_kind_display(),
        state=a.state,
        state_label=a.get_state_display(),
        cooperation_id=a.cooperation_id,
        cooperation=a.cooperation.title,
        starts_on=a.starts_on,
        expires_on=a.expires_on,
        signed_at=a.signed_at,
        parties=[
            PartyOut(
                position=p.position,
                label=p.label,
                unit_id=p.unit_id,
                unit=p.unit.name,
                signer=str(p.signer),
                signed_at=p.signed_at,
            )
            for p in a.parties.all()
        ],
        pdf_url=reverse("signing:agreement_pdf", args=[a.pk]) if a.pdf else None,
        pdf_sha256=a.pdf_sha256,
    )


@router.get("/agreements", response={200: Page[AgreementOut], **ERRORS})
def list_agreements(
    request: AuthenticatedHttpRequest, query: Query[AgreementQuery]
) -> dict[str, object]:
    """Agreements in the user's scope (a party's or its cooperation's), the latest first;
    ``state=signed`` gives the signed ones, each with the path of its signed PDF."""
    require(request, "signing.view_agreement")
    qs = selectors.agreement_list_with_parties(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items: list[object] = [agreement_out(a) for a in qs[(page - 1) * size : page * size]]
    return page_of(items, qs.count(), page, size)
