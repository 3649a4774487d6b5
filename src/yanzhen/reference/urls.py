from __future__ import annotations

from django.urls import path

from yanzhen.reference import views

app_name = "reference"
urlpatterns = [
    path("universities/", views.university_list, name="university_list"),
    path("universities/suggest/", views.university_suggest, name="university_suggest"),
    path("universities/<int:pk>/", views.university_detail, name="university_detail"),
]
