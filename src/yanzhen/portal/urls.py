from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.portal import (
    call_views,
    event_portal_views,
    event_views,
    hall_views,
    staff_views,
    thread_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("activate/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    *record_paths("registrations/", views, "registration", "list", "detail"),
    path("needs/", hall_views.need_hall, name="need_hall"),
    path("needs/tech/<int:pk>/", hall_views.tech_need_detail, name="tech_need_detail"),
    path("needs/talent/<int:pk>/", hall_views.talent_need_detail, name="talent_need_detail"),
    path("results/", hall_views.result_hall, name="result_hall"),
    path("results/<int:pk>/", hall_views.result_detail, name="result_detail"),
    path("needs/tech/new/", hall_views.tech_need_create, name="tech_need_create"),
    *record_paths("needs/tech/", hall_views, "tech_need", "publish", "hide"),
    path("results/new/", hall_views.result_create, name="result_create"),
    *record_paths("results/", hall_views, "result", "publish", "hide"),
    path("experts/", hall_views.expert_directory, name="expert_directory"),
    # 云对接会: the parties' pages, then the county office's.
    path("events/", event_portal_views.events, name="events"),
    path("events/<int:pk>/", event_portal_views.event_page, name="event_page"),
    *record_paths("events/", event_portal_views, "event", "register", "request", "availability"),
    *record_paths(
        "matchmaking/", event_views, "event", "list", "new", "detail", "edit", "schedule", "publish"
    ),
    path("matchmaking/<int:pk>/parties/new/", event_views.event_party_new, name="event_party_new"),
    path("matchmaking/meetings/<int:pk>/", event_views.meeting_edit, name="meeting_edit"),
    # 揭榜挂帅
    *record_paths("calls/", call_views, "call", "list", "new"),
    path("calls/mine/", call_views.my_applications, name="my_applications"),
    *record_paths("calls/", call_views, "call", "detail", "submit", "apply", "close"),
    *record_paths("calls/", call_views, "call", "evaluate", "publicise", "award", "agreement"),
    path("calls/<int:pk>/objections/new/", call_views.objection_new, name="objection_new"),
    path(
        "calls/applications/<int:pk>/score/",
        call_views.application_score,
        name="application_score",
    ),
    path(
        "calls/applications/<int:pk>/attachment/",
        call_views.application_download,
        name="application_download",
    ),
    path("calls/objections/<int:pk>/answer/", call_views.objection_answer, name="objection_answer"),
    # Staff sub-accounts of a university
    *record_paths("staff/", staff_views, "staff", "list", "new", "deactivate"),
    path("needs/tech/<int:pk>/interest/", thread_views.need_interest, name="need_interest"),
    path("results/<int:pk>/interest/", thread_views.result_interest, name="result_interest"),
    *record_paths("threads/", thread_views, "thread", "list", "detail", "move", "cooperation"),
    path(
        "threads/messages/<int:pk>/attachment/",
        thread_views.message_attachment,
        name="message_attachment",
    ),
]
