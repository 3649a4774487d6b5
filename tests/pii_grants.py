"""A second person's approval of full personal data, for tests that reveal or export it
(``core.masking``: since G25's level-3 control the permission alone no longer unmasks)."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from yanzhen.core import workflow
from yanzhen.core.masking import APPROVE_PERMISSION, Purpose, pii_access_request
from yanzhen.core.models import ApprovalRequest, DataScope, Role, User


def approver_for(user: User) -> User:
    """The demo's leader (it holds ``core.approve_personal_data``), or — without the demo —
    an approver made for the test."""
    leader = User.objects.filter(username="leader").first()
    if leader is not None and leader.pk != user.pk and leader.has_perm(APPROVE_PERMISSION):
        return leader
    approver, _ = User.objects.get_or_create(username="pii-approver", defaults={"unit": user.unit})
    role, created = Role.objects.get_or_create(
        code="pii-approver", defaults={"name": "个人信息审批", "data_scope": DataScope.ALL}
    )
    if created:
        app, codename = APPROVE_PERMISSION.split(".")
        role.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    approver.roles.add(role)
    return User.objects.get(pk=approver.pk)  # permissions read afresh


def grant_pii(
    user: User,
    purpose: str = Purpose.PAGE,
    *,
    list_title: str = "",
    approver: User | None = None,
) -> ApprovalRequest:
    """Let ``user`` see full values for ``purpose`` (for an export, of the list
    ``list_title``): its request, approved by another person, through the services."""
    approval = pii_access_request(
        requester=user, purpose=purpose, list_title=list_title, reason="测试：核对名单"
    )
    return workflow.request_approve(
        approval=approval, approver=approver or approver_for(user), note="同意"
    )
