"""API of the signed-in account: who am I, and changing my password (same rules as pages)."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from ninja import Router, Schema, Status
from pydantic import Field

from yanzhen.accounts import services
from yanzhen.core.api import api_fields
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import ErrorOut, InputSchema

router = Router(tags=["账户"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    unit: str | None
    unit_id: int | None
    roles: list[str]
    must_change_password: bool


class PasswordIn(InputSchema):
    old_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: AuthenticatedHttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        unit=user.unit.name if user.unit else None,
        unit_id=user.unit_id,
        roles=[r.code for r in services.roles_of(user)],
        must_change_password=user.must_change_password,
    )


@router.post("/me/password", response={204: None, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut})
def change_password(request: AuthenticatedHttpRequest, body: PasswordIn) -> Status[None]:
    user = request.user
    with api_fields({"password": "new_password"}):
        services.password_change(
            request=request, user=user, old=body.old_password, new=body.new_password
        )
    update_session_auth_hash(request, user)
    return Status(204, None)
