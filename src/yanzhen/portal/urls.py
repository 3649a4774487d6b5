from __future__ import annotations

from django.urls import path

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
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("needs/", hall_views.need_hall, name="need_hall"),
    path("needs/tech/<int:pk>/", hall_views.tech_need_detail, name="tech_need_detail"),
    path("needs/talent/<int:pk>/", hall_views.talent_need_detail, name="talent_need_detail"),
    path("results/", hall_views.result_hall, name="result_hall"),
    path("results/<int:pk>/", hall_views.result_detail, name="result_detail"),
    path("needs/tech/new/", hall_views.tech_need_create, name="tech_need_create"),
    path("needs/tech/<int:pk>/publish/", hall_views.tech_need_publish, name="tech_need_publish"),
    path("needs/tech/<int:pk>/hide/", hall_views.tech_need_hide, name="tech_need_hide"),
    path("results/new/", hall_views.result_create, name="result_create"),
    path("results/<int:pk>/publish/", hall_views.result_publish, name="result_publish"),
    path("results/<int:pk>/hide/", hall_views.result_hide, name="result_hide"),
    path("experts/", hall_views.expert_directory, name="expert_directory"),
    # 云对接会: the parties' pages, then the county office's.
    path("events/", event_portal_views.events, name="events"),
    path("events/<int:pk>/", event_portal_views.event_page, name="event_page"),
    path("events/<int:pk>/register/", event_portal_views.event_register, name="event_register"),
    path("events/<int:pk>/request/", event_portal_views.event_request, name="event_request"),
    path(
        "events/<int:pk>/availability/",
        event_portal_views.event_availability,
        name="event_availability",
    ),
    path("matchmaking/", event_views.event_list, name="event_list"),
    path("matchmaking/new/", event_views.event_new, name="event_new"),
    path("matchmaking/<int:pk>/", event_views.event_detail, name="event_detail"),
    path("matchmaking/<int:pk>/schedule/", event_views.event_schedule, name="event_schedule"),
    path("matchmaking/<int:pk>/publish/", event_views.event_publish, name="event_publish"),
    path("matchmaking/<int:pk>/parties/new/", event_views.event_party_new, name="event_party_new"),
    path("matchmaking/meetings/<int:pk>/", event_views.meeting_edit, name="meeting_edit"),
    # 揭榜挂帅
    path("calls/", call_views.call_list, name="call_list"),
    path("calls/new/", call_views.call_new, name="call_new"),
    path("calls/mine/", call_views.my_applications, name="my_applications"),
    path("calls/<int:pk>/", call_views.call_detail, name="call_detail"),
    path("calls/<int:pk>/submit/", call_views.call_submit, name="call_submit"),
    path("calls/<int:pk>/apply/", call_views.call_apply, name="call_apply"),
    path("calls/<int:pk>/close/", call_views.call_close, name="call_close"),
    path("calls/<int:pk>/evaluate/", call_views.call_evaluate, name="call_evaluate"),
    path("calls/<int:pk>/publicise/", call_views.call_publicise, name="call_publicise"),
    path("calls/<int:pk>/objections/new/", call_views.objection_new, name="objection_new"),
    path("calls/<int:pk>/award/", call_views.call_award, name="call_award"),
    path("calls/<int:pk>/agreement/", call_views.call_agreement, name="call_agreement"),
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
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/new/", staff_views.staff_new, name="staff_new"),
    path("staff/<int:pk>/deactivate/", staff_views.staff_deactivate, name="staff_deactivate"),
    path("needs/tech/<int:pk>/interest/", thread_views.need_interest, name="need_interest"),
    path("results/<int:pk>/interest/", thread_views.result_interest, name="result_interest"),
    path("threads/", thread_views.thread_list, name="thread_list"),
    path("threads/<int:pk>/", thread_views.thread_detail, name="thread_detail"),
    path("threads/<int:pk>/move/", thread_views.thread_move, name="thread_move"),
    path(
        "threads/<int:pk>/cooperation/",
        thread_views.thread_cooperation,
        name="thread_cooperation",
    ),
    path(
        "threads/messages/<int:pk>/attachment/",
        thread_views.message_attachment,
        name="message_attachment",
    ),
]
