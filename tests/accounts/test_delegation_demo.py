"""The demo's delegated administration: Yongji's own system administrator, security
administrator and auditor (roles of the county, two factors) see Yongji's accounts only."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Demo
from yanzhen.core.models import DataScope, Role, RoleKind, Unit, UnitClosure, UnitKind, User
from yanzhen.core.scope import everywhere_accounts
from yanzhen.demo import yongji
from yanzhen.demo.loader import demo_otp_secrets

COUNTY_ADMINS = {
    "yj_sysadmin": RoleKind.SYSTEM_ADMIN,
    "yj_secadmin": RoleKind.SECURITY_ADMIN,
    "yj_auditor": RoleKind.AUDITOR,
}


def test_yongji_has_its_own_three_administrators(demo_db: Demo) -> None:
    yongji_unit = Unit.objects.get(name=yongji.COUNTY[0], kind=UnitKind.COUNTY)
    for username, kind in COUNTY_ADMINS.items():
        user = User.objects.get(username=username)
        roles = list(user.roles.all())
        assert [(r.kind, r.data_scope, r.unit_id) for r in roles] == [
            (kind, DataScope.COUNTY, yongji_unit.pk)
        ]
        assert user.check_password(yongji.DEMO_PASSWORD)
        assert (
            TOTPDevice.objects.filter(
                user=user, name=yongji.DEMO_OTP_DEVICE, confirmed=True
            ).count()
            == 1
        )
    assert {name for name, _secret in demo_otp_secrets()} >= set(COUNTY_ADMINS)


def test_yongji_s_administrators_see_only_yongji(demo_db: Demo) -> None:
    yongji_unit = Unit.objects.get(name=yongji.COUNTY[0], kind=UnitKind.COUNTY)
    below = UnitClosure.objects.filter(ancestor=yongji_unit).values("descendant_id")
    expected = sorted(
        User.objects.filter(unit__in=below)
        .exclude(pk__in=everywhere_accounts().values("pk"))
        .values_list("username", flat=True)
    )
    assert "city" not in expected
    assert "sysadmin" not in expected
    assert set(COUNTY_ADMINS) <= set(expected)
    response = demo_db.client("yj_sysadmin").get(reverse("accounts:user_list"), {"per_page": 500})
    page = response.context["page"]
    assert page.paginator.count == len(expected)
    everyone = demo_db.client("sysadmin").get(reverse("accounts:user_list"))
    assert everyone.context["page"].paginator.count == User.objects.count()
    roles = demo_db.client("yj_secadmin").get(reverse("accounts:role_list"))
    codes = sorted(r.code for r in roles.context["page"].object_list)
    province = Role.objects.filter(unit__isnull=True).values_list("code", flat=True)
    assert codes == sorted([*province, "yj-auditor", "yj-secadmin", "yj-sysadmin"])
