from __future__ import annotations

from django.urls import path

from yanzhen.cooperation import views

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
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("secondments/", views.secondment_list, name="secondment_list"),
    path("secondments/new/", views.secondment_create, name="secondment_create"),
    path("secondments/<int:pk>/", views.secondment_detail, name="secondment_detail"),
    path("secondments/<int:pk>/edit/", views.secondment_edit, name="secondment_edit"),
]
