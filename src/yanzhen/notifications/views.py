"""The user's own notifications."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from yanzhen.core.listing import paginate, render_list
from yanzhen.core.models import User
from yanzhen.notifications import selectors, services


def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    notices = selectors.notification_list(user=request.user, unread=unread)
    context = {"page": paginate(request, notices), "unread": unread}
    return render_list(request, "notifications/list.html", context)


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    services.mark_read(user=request.user)
    return redirect("notifications:list")
