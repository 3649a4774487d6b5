"""API of the portal: the open registration, ``POST /api/v1/portal/registrations`` — no
login, no CSRF token (nothing of a session is used), 10 an hour per address."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from yanzhen.core.schemas import ErrorOut
from yanzhen.core.trail import client_ip
from yanzhen.portal import services
from yanzhen.portal.schemas import RegistrationIn, RegistrationOut

router = Router(tags=["对接门户"])
# The operations open to anonymous callers (``yanzhen.api.urls`` marks their views).
OPEN_OPERATIONS = ("create_registration",)


@router.post(
    "/portal/registrations",
    auth=None,
    response={201: RegistrationOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
)
def create_registration(request: HttpRequest, payload: RegistrationIn) -> Status[RegistrationOut]:
    registration = services.registration_create(
        data=services.RegistrationData(**payload.model_dump()),
        address=client_ip(request),
        request=request,
    )
    return Status(201, RegistrationOut(id=registration.pk, state="pending"))
