"""The demo's outside parties on the portal: the login ``university`` (西安交通大学's 科研院
合作处, the institution's account, two factors as a signer for its institution) and the login
``expert`` (a professor of 西安交通大学 of the demo's expert pool), both with the demo
password; their organisation is a unit outside every county tree; the county office decides
the portal's registrations. Idempotent."""

from __future__ import annotations

import datetime as dt

from django_otp.plugins.otp_totp.models import TOTPDevice

from yanzhen.core import services as core_services
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.demand.models import Expert
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.portal.models import OutsideAccount, PartyKind, Registration, RegistrationState
from yanzhen.portal.services import ensure_roles
from yanzhen.reference.models import University

UNIVERSITY = "西安交通大学"
DAY = dt.datetime(2021, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CONTACT_MOBILE = "13991234567"  # fictional
PERMISSIONS = {
    "office": [
        "portal.review_registration",
        "portal.view_registration",
        "portal.access_portal",
        "portal.view_call",
        "portal.manage_call",
        "portal.review_call",
    ]
}
# username, kind, full name (None: the first expert of the university in the demo's pool).
LOGINS: tuple[tuple[str, str, str | None], ...] = (
    ("university", PartyKind.UNIVERSITY, "西安交通大学科研院合作处"),
    ("expert", PartyKind.EXPERT, None),
)


def organisation(university: University) -> Unit:
    """The university's unit outside every county tree (found, else created)."""
    found = Unit.objects.filter(university=university, parent__isnull=True).order_by("pk")
    unit = found.first()
    if unit is not None:
        return unit
    return core_services.unit_create(
        actor=None,
        parent=None,
        name=university.name,
        kind=UnitKind.UNIVERSITY,
        university=university,
        code=university.code,
    )


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    roles = ensure_roles()
    university = University.objects.get(name=UNIVERSITY)
    unit = organisation(university)
    expert = Expert.objects.filter(university=university).order_by("pk").first()
    for username, kind, full_name in LOGINS:
        if User.objects.filter(username=username).exists():
            continue
        role = roles[kind]
        user = core_services.user_create(
            username=username,
            password=yongji.DEMO_PASSWORD,
            unit=unit,
            roles=[role],
            full_name=full_name or (expert.name if expert else "西安交通大学专家"),
        )
        if role.requires_otp:
            TOTPDevice.objects.create(user=user, name=yongji.DEMO_OTP_DEVICE, confirmed=True)
        OutsideAccount.objects.create(
            user=user,
            kind=kind,
            organisation=unit,
            is_manager=kind == PartyKind.UNIVERSITY,
            registration=_registration(user, kind, university, unit),
        )
        result.add("users")


def _registration(user: User, kind: str, university: University, unit: Unit) -> Registration:
    """The registration the account came from, approved by the county office."""
    county = Unit.objects.get(name=yongji.COUNTY[0])
    return Registration.objects.create(
        kind=kind,
        name=university.name if kind == PartyKind.UNIVERSITY else user.full_name,
        school_code=university.code if kind == PartyKind.UNIVERSITY else "",
        university=university,
        contact=user.full_name,
        mobile=CONTACT_MOBILE,
        email=f"{user.username}@portal.example.cn",
        county=county,
        state=RegistrationState.APPROVED,
        created_at=DAY,
        decided_at=DAY,
        unit=unit,
        user=user,
    )
