from __future__ import annotations

from django.urls import path

from yanzhen.cooperation import views
from yanzhen.cooperation.views import activities, secondments

app_name = "cooperation"
urlpatterns = [
    path("", views.cooperation_list, name="list"),
    path("new/", views.cooperation_create, name="create"),
    path("<int:pk>/", views.cooperation_detail, name="detail"),
    path("<int:pk>/edit/", views.cooperation_edit, name="edit"),
    path("<int:pk>/move/", views.cooperation_move, name="move"),
    path("<int:pk>/delete/", views.cooperation_delete, name="delete"),
    path("trash/", views.cooperation_trash, name="trash"),
    path("trash/<int:pk>/restore/", views.cooperation_restore, name="restore"),
    path("<int:pk>/revert/<int:history_id>/", views.cooperation_revert, name="revert"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("partners/", views.partner_list, name="partner_list"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("bases/", views.base_list, name="base_list"),
    path("bases/new/", views.base_create, name="base_create"),
    path("bases/options/", views.base_options, name="base_options"),
    path("options/", views.cooperation_options, name="options"),
    path("bases/<int:pk>/", views.base_detail, name="base_detail"),
    path("bases/<int:pk>/edit/", views.base_edit, name="base_edit"),
    path("bases/<int:pk>/members/", views.base_member_add, name="base_member_add"),
    path(
        "bases/<int:pk>/members/<int:member_pk>/remove/",
        views.base_member_remove,
        name="base_member_remove",
    ),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_create"),
    path("activities/trash/", activities.activity_trash, name="activity_trash"),
    path(
        "activities/trash/<int:pk>/restore/",
        activities.activity_restore,
        name="activity_restore",
    ),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path(
        "activities/<int:pk>/revert/<int:history_id>/",
        activities.activity_revert,
        name="activity_revert",
    ),
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
    path("secondments/", secondments.secondment_list, name="secondment_list"),
    path("secondments/new/", secondments.secondment_new, name="secondment_create"),
    path("secondments/trash/", secondments.secondment_trash, name="secondment_trash"),
    path(
        "secondments/trash/<int:pk>/restore/",
        secondments.secondment_restore,
        name="secondment_restore",
    ),
    path("secondments/<int:pk>/", secondments.secondment_detail, name="secondment_detail"),
    path("secondments/<int:pk>/edit/", secondments.secondment_edit, name="secondment_edit"),
    path("secondments/<int:pk>/delete/", secondments.secondment_delete, name="secondment_delete"),
    path(
        "secondments/<int:pk>/revert/<int:history_id>/",
        secondments.secondment_revert,
        name="secondment_revert",
    ),
]
