"""URLs of the cooperation app, each named as its view."""

from __future__ import annotations

from django.urls import path

from yanzhen.cooperation.views import (
    activities,
    bases,
    followups,
    importing,
    ledger,
    secondments,
)
from yanzhen.core.routing import record_paths

app_name = "cooperation"
urlpatterns = [
    *record_paths("", ledger, "cooperation", "list", "new", "detail", "edit", "move", "delete"),
    *record_paths("", ledger, "cooperation", "trash", "restore", "revert"),
    path("<int:pk>/attachments/", ledger.attachment_new, name="attachment_new"),
    path("attachments/<int:pk>/", ledger.attachment_download, name="attachment_download"),
    path("evidence/<int:pk>/", ledger.evidence_download, name="evidence_download"),
    path("partners/", ledger.partner_list, name="partner_list"),
    path("options/", ledger.cooperation_options, name="cooperation_options"),
    path("import/", importing.import_upload, name="import_upload"),
    path("import/template/", importing.import_template, name="import_template"),
    path("import/confirm/", importing.import_confirm, name="import_confirm"),
    *record_paths("base-types/", bases, "base_type", "list", "new", "edit"),
    *record_paths("bases/", bases, "base"),
    path("bases/options/", bases.base_options, name="base_options"),
    path("bases/<int:pk>/members/", bases.base_member_add, name="base_member_add"),
    path(
        "bases/<int:pk>/members/<int:member_pk>/remove/",
        bases.base_member_remove,
        name="base_member_remove",
    ),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_create"),
    *record_paths("activities/", activities, "activity", "trash", "restore"),
    *record_paths("activities/", activities, "activity", "detail", "edit", "delete", "revert"),
    path(
        "activities/<int:pk>/attachments/",
        activities.activity_attachment_add,
        name="activity_attachment_add",
    ),
    path(
        "activities/attachments/<int:pk>/",
        activities.activity_attachment_download,
        name="activity_attachment_download",
    ),
    path("follow-ups/", followups.followup_list, name="followup_list"),
    path("follow-ups/new/", followups.followup_new, name="followup_new"),
    path("secondments/", secondments.secondment_list, name="secondment_list"),
    path("secondments/new/", secondments.secondment_new, name="secondment_create"),
    *record_paths("secondments/", secondments, "secondment", "trash", "restore"),
    *record_paths("secondments/", secondments, "secondment", "detail", "edit", "delete", "revert"),
]
