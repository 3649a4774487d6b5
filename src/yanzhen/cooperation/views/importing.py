"""The ledger's import: its template, and its pages of the one import flow (``core.importing``,
register ``cooperations``), kept at their URLs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.cooperation import excel
from yanzhen.core import import_views
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download
from yanzhen.core.pages import require_perm

REGISTER = "cooperations"


def import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.import_cooperation")
    return download(excel.template_bytes(), import_views.XLSX, _("合作台账导入模板.xlsx"))


def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload → preview (nothing written): the page of the one import flow."""
    return import_views.import_upload(request, REGISTER)


@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_views.import_confirm(request, REGISTER)
