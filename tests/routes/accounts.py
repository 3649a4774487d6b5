"""Access rules of the accounts and audit apps (see tests/routes/__init__.py).

Accounts and logs are scoped by the unit of the account concerned; roles and lockouts are
configuration of the whole deployment (kind ``global``: any holder of the permission).
"""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "accounts:password_change": "open",
    "accounts:otp": "open",
    "accounts:security": "open",
    "accounts:otp_rebind": "open",
    "accounts:user_list": "list",
    "accounts:user_new": "create",
    "accounts:user_detail": "object:user",
    "accounts:user_edit": "object:user",
    "accounts:user_active": "object:user",
    "accounts:user_password": "object:user",
    "accounts:user_roles": "object:user",
    "accounts:user_otp_reset": "object:user",
    "accounts:request_list": "list",
    "accounts:request_detail": "object:request",
    "accounts:pii_request_list": "list",
    "accounts:pii_request_create": "create",
    "accounts:pii_request_detail": "object:pii_request",
    "accounts:role_list": "global",
    "accounts:role_new": "global",
    "accounts:role_edit": "global:role",
    "accounts:lockout_list": "global",
    "accounts:unlock": "global",
    "audit:event_list": "list",
    "audit:access_list": "list",
    "audit:export_list": "list",
    "api:me": "open",
    "api:change_password": "open",
}


def object_ids() -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType

    from yanzhen.accounts.services import password_reset_request
    from yanzhen.core.masking import PII_ACCESS, pii_access_request
    from yanzhen.core.models import ApprovalRequest, Role, User

    office = User.objects.get(username="office")
    approval = ApprovalRequest.objects.filter(
        target_type=ContentType.objects.get_for_model(User), target_id=office.pk
    ).first()
    if approval is None:
        # A pending request of the demo's system administrator (the demo holds none).
        approval = password_reset_request(
            request=None,
            actor=User.objects.get(username="sysadmin"),
            user=office,
            new="Lantern-Harbor-58-Quiet",
            reason="演示：忘记密码",
        )
    # A pending request of the office to see full personal data (the demo holds none).
    pii = ApprovalRequest.objects.filter(kind=PII_ACCESS.code, requester=office).first()
    if pii is None:
        pii = pii_access_request(requester=office, purpose="page", reason="演示：核对身份证号")
    return {
        "user": office.pk,
        "role": Role.objects.get(code="office").pk,
        "request": approval.pk,
        "pii_request": pii.pk,
    }
