"""The pages of the background exports (``core.export_jobs``): "我的导出", a job's page (polled
while it runs) and its download — each of the user's own jobs only, for everybody (an
administrator too: another user's job is a 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from yanzhen.core import export_jobs
from yanzhen.core.error_pages import gone
from yanzhen.core.filters import Filters, choice, filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import approval_required, download
from yanzhen.core.masking import Purpose, unmasking
from yanzhen.core.models import ExportJob, ExportJobState
from yanzhen.core.pages import Col, TablePage, render_table, url


@dataclass(frozen=True)
class ExportJobFilters(Filters):
    state: str = choice("状态", ExportJobState)


def _own_jobs(request: AuthenticatedHttpRequest, filters: ExportJobFilters) -> QuerySet[ExportJob]:
    jobs: QuerySet[ExportJob] = export_jobs.jobs_of(request.user)
    return jobs.filter(state=filters.state) if filters.state else jobs


def export_job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的导出: the user's own background exports, newest first."""
    form = filter_form(ExportJobFilters)(request.GET or None)
    columns: list[Col[ExportJob]] = [
        Col(_("列表"), lambda j: j.title, lambda j: url("core:export_job_detail", j.pk)),
        Col(_("格式"), lambda j: j.fmt.upper()),
        Col(_("状态"), lambda j: j.get_state_display(), tag=lambda j: str(j.state)),
        Col(_("行数"), lambda j: j.rows, kind="int"),
        Col(_("提交时间"), lambda j: localtime(j.created_at)),
        Col(_("下载截止"), lambda j: localtime(j.expires_at) if j.expires_at else None),
    ]
    return render_table(
        request,
        TablePage(
            title=_("我的导出"),
            columns=columns,
            rows=_own_jobs(request, form.filters()),
            form=form,
            exportable=False,
            note=_(
                "超过 %(n)s 行的导出在后台生成，完成后在此下载，保留 24 小时。"
                "本列表只列出您本人的导出，不提供导出。"
            )
            % {"n": export_jobs.background_rows()},
            empty=_("没有后台导出"),
        ),
    )


def export_job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A job's state, polled every 2 seconds while it is queued or running."""
    job = get_object_or_404(export_jobs.jobs_of(request.user), pk=pk)
    export_jobs.job_refresh(job)
    context = {
        "job": job,
        "running": job.state not in export_jobs.FINISHED,
        "expired": export_jobs.expired(job),
        "list_url": f"{job.path}?{job.query}" if job.query else job.path,
    }
    name = "core/export_job.html"
    if getattr(request, "htmx", False):
        name += "#export_state"
    return render(request, name, context)


def export_job_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The job's file, to its user only, within 24 hours of its end (a file of full values
    while the user's approval to export them is in force)."""
    job = get_object_or_404(export_jobs.jobs_of(request.user), pk=pk, state=ExportJobState.DONE)
    if job.decision.get("unmasked"):
        # A file of full values is handed over only while the approval is in force (G25): the
        # worker wrote it under the request's decision; its download is a new showing of them.
        decision = unmasking(request.user, purpose=Purpose.EXPORT, list_title=job.title)
        if not decision.allowed:
            return approval_required(request, decision, job.path, QueryDict(job.query))
    content = None if export_jobs.expired(job) else export_jobs.file_read(job)
    if content is None:
        return gone(
            request,
            _("导出文件已过期"),
            _("后台导出的文件只保留 24 小时，已删除。请回到列表重新导出。"),
        )
    return download(content, export_jobs.CONTENT_TYPES[job.fmt], job.filename)
