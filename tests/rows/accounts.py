"""N rows of each list of the accounts, audit and notifications apps, in the scope of a user
of ``unit``: accounts, requests and log entries each of an account and a unit of its own; the
notifications of the users of ``unit`` (the list shows a user their own), the robots of
units of their own; requests for full personal data, each of a requester of its own."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.test import RequestFactory

from tests.rows import RowFactory
from yanzhen.accounts.services import password_reset_request
from yanzhen.audit.services import access_logged, export_logged, record
from yanzhen.core.masking import pii_access_request
from yanzhen.core.models import DataScope, Role, Unit, UnitKind, User
from yanzhen.core.services import unit_create, user_create
from yanzhen.notifications.services import notify, robot_save

_serial = itertools.count(1)


def _account(unit: Unit) -> User:
    """An account of a unit of its own below ``unit``, with a role of its own."""
    n = next(_serial)
    own = unit_create(actor=None, parent=unit, name=f"单位{n}", kind=UnitKind.TOWN)
    role = Role.objects.create(code=f"rows{n}", name=f"角色{n}", data_scope=DataScope.UNIT)
    account = user_create(
        username=f"rows{n}", password="x-Unused-Password-1", unit=own, roles=[role]
    )
    User.objects.filter(pk=account.pk).update(last_login=dt.datetime(2021, 12, 1, tzinfo=dt.UTC))
    return account


def accounts(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _account(unit)
    return {"q": "rows"}


def requests(n: int, unit: Unit) -> dict[str, str]:
    asker = _account(unit)
    for _ in range(n):
        password_reset_request(
            request=None, actor=asker, user=_account(unit), new="Lantern-Harbor-58-Quiet",
            reason="忘记密码",
        )  # fmt: skip
    return {}


def events(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        record("login", user=_account(unit), detail={"via": "password"})
    return {"kind": "login"}


def _request_of(account: User) -> HttpRequest:
    request = RequestFactory().get("/people/1/")
    request.user = account
    return request


def accesses(n: int, unit: Unit) -> dict[str, str]:
    for i in range(n):
        request = _request_of(_account(unit))
        access_logged(request=request, action="open", record_type="person", record_id=i + 1)
    return {}


def exports(n: int, unit: Unit) -> dict[str, str]:
    for i in range(n):
        export_logged(
            request=_request_of(_account(unit)), title="人员", filters={"q": f"{i}"}, fmt="csv",
            rows=i, content=b"x", unmasked=False,
        )  # fmt: skip
    return {}


def notifications(n: int, unit: Unit) -> dict[str, str]:
    for i in range(n):
        notify(
            event="reminder", about=unit, occasion=f"rows{next(_serial)}", title=f"消息{i}",
            body="第一行\n第二行", url=f"/x/{i}/", units=[unit],
        )  # fmt: skip
    return {}


def robots(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        account = _account(unit)
        assert account.unit is not None
        robot_save(
            actor=account, robot=None, unit=account.unit, name=f"群{next(_serial)}", kind="wecom",
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ROWS", secret="",
            is_active=True,
        )  # fmt: skip
    return {}


def pii_requests(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        requester = _account(unit)
        requester.user_permissions.add(
            Permission.objects.get(codename="view_personal_data", content_type__app_label="core")
        )
        requester = User.objects.get(pk=requester.pk)  # the permission cache emptied
        pii_access_request(requester=requester, purpose="page", reason="核对名单")
    return {}


ROWS: dict[str, RowFactory] = {
    "accounts:user_list": accounts,
    "accounts:request_list": requests,
    "audit:event_list": events,
    "audit:access_list": accesses,
    "audit:export_list": exports,
    "notifications:list": notifications,
    "api:list_notifications": notifications,
    "notifications:robot_list": robots,
    "accounts:pii_request_list": pii_requests,
}
