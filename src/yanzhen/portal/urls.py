from __future__ import annotations

from django.urls import path

from yanzhen.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("activate/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
]
