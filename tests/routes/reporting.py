"""Access rules of the reporting app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "reporting:task_list": "list",
    "reporting:task_new": "create",
    "reporting:task_detail": "object:reporting_task",
    "reporting:task_edit": "object:reporting_task",
    "reporting:task_issue": "object:reporting_task",
    "reporting:task_remind": "object:reporting_task",
    "reporting:task_rollup": "object:reporting_task",
    "reporting:submission_detail": "object:reporting_submission",
    "reporting:submission_edit": "object:reporting_submission",
    "reporting:submission_review": "object:reporting_submission",
    "reporting:submission_excel": "object:reporting_submission",
    "reporting:submission_upload": "object:reporting_submission",
    "reporting:file_download": "object:reporting_file",
    "api:create_task": "create",
    "api:list_task_submissions": "object:reporting_task",
    "api:save_submission": "object:reporting_submission",
    "api:submit_submission": "object:reporting_submission",
    "api:review_submission": "object:reporting_submission",
    "api:task_rollup": "object:reporting_task",
}


def object_ids() -> dict[str, int]:
    from yanzhen.reporting.models import Submission, SubmissionFile, Task

    return {
        "reporting_task": Task.objects.order_by("pk")[0].pk,
        "reporting_submission": Submission.objects.filter(state="submitted").order_by("pk")[0].pk,
        "reporting_file": SubmissionFile.objects.order_by("pk")[0].pk,
    }
