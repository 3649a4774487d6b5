"""The user's own notifications."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Col, TablePage, render_table
from yanzhen.notifications import selectors, services
from yanzhen.notifications.models import Notification


def _message(n: Notification) -> SafeString:
    title = format_html('<a href="{}">{}</a>', n.url, n.title) if n.url else n.title
    if n.body:
        return format_html("{}<br><small>{}</small>", title, linebreaksbr(n.body, autoescape=True))
    return format_html("{}", title)


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = filter_form(selectors.NotificationFilters)(request.GET or None)
    columns: list[Col[Notification]] = [
        Col(_("时间"), lambda n: timezone.localtime(n.created_at)),
        Col(_("消息"), lambda n: n.title, html=_message),
        Col(
            _("状态"),
            lambda n: _("已读") if n.read_at else _("未读"),
            tag=lambda n: "" if n.read_at else "gap",
        ),
    ]
    unread = form.filters().unread
    return render_table(
        request,
        TablePage(
            title=_("我的消息"),
            columns=columns,
            rows=selectors.notification_list(user=request.user, unread=unread),
            form=form,
            exportable=False,
            empty=_("暂无消息"),
            above="notifications/mark_read.html",
        ),
    )


@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:list")
