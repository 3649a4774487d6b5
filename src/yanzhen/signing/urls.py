from __future__ import annotations

from django.urls import path

from yanzhen.signing import views

app_name = "signing"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/revise/", views.agreement_revise, name="agreement_revise"),
    path("agreements/<int:pk>/send/", views.agreement_send, name="agreement_send"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/obligations/new/", views.obligation_new, name="obligation_new"),
    path(
        "agreements/<int:pk>/obligations/<int:obligation_pk>/delete/",
        views.obligation_delete,
        name="obligation_delete",
    ),
    path("agreements/<int:pk>/renew/", views.agreement_renew, name="agreement_renew"),
    path("agreements/<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("ceremonies/", views.ceremony_list, name="ceremony_list"),
    path("ceremonies/new/", views.ceremony_new, name="ceremony_new"),
    path("ceremonies/<int:pk>/", views.ceremony_detail, name="ceremony_detail"),
    path("verify/", views.verify, name="verify"),
    path("seal/", views.seal, name="seal"),
    path("seal/image.png", views.seal_image, name="seal_image"),
    path("ca.pem", views.ca_certificate, name="ca_certificate"),
    path("ca.crl", views.ca_crl, name="ca_crl"),
]
