from __future__ import annotations

import datetime as dt

from ninja import Schema

from yanzhen.core.filters import FilterQuery
from yanzhen.core.schemas import PageQuery
from yanzhen.signing.selectors import AgreementFilters


class PartyOut(Schema):
    position: int
    label: str
    unit_id: int
    unit: str
    signer: str
    signed_at: dt.datetime | None


class AgreementOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    cooperation_id: int
    cooperation: str
    starts_on: dt.date
    expires_on: dt.date
    signed_at: dt.datetime | None
    parties: list[PartyOut]
    pdf_url: str | None  # a path on the platform (the download checks the data scope)
    pdf_sha256: str


class AgreementQuery(FilterQuery[AgreementFilters], PageQuery):
    """The register's filters (``state=signed``…) and the page."""
