from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.signing import views

app_name = "signing"

urlpatterns = [
    *record_paths("agreements/", views, "agreement", "list", "new", "detail", "revise", "send"),
    *record_paths("agreements/", views, "agreement", "sign", "renew", "pdf"),
    path("agreements/<int:pk>/obligations/new/", views.obligation_new, name="obligation_new"),
    path(
        "agreements/<int:pk>/obligations/<int:obligation_pk>/delete/",
        views.obligation_delete,
        name="obligation_delete",
    ),
    *record_paths("ceremonies/", views, "ceremony", "list", "new", "detail"),
    path("verify/", views.verify, name="verify"),
    path("seal/", views.seal, name="seal"),
    path("seal/image.png", views.seal_image, name="seal_image"),
    path("ca.pem", views.ca_certificate, name="ca_certificate"),
    path("ca.crl", views.ca_crl, name="ca_crl"),
]
