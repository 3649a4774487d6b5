from __future__ import annotations

from django.urls import path

from yanzhen.portal import hall_views, thread_views, views

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
