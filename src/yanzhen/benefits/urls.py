"""URLs of the services that keep talents, under the talent work's paths and names
(``/talent/benefits/``, ``talent:benefit_list``: the project mounts the apps of one prefix and
``app_name`` under one namespace)."""

from __future__ import annotations

from django.urls import path

from yanzhen.benefits.views import apartments, benefits
from yanzhen.core.routing import new_child_path, record_paths

app_name = "talent"
urlpatterns = [
    # Services: catalogue, entitlements, deliveries, payments, reminders
    *record_paths("benefits/", benefits, "benefit"),
    new_child_path("benefits/", "benefit", "rules", benefits, "rule"),
    *record_paths("rules/", benefits, "rule", "edit", "delete"),
    path(
        "<int:pk>/entitlements/edit/",
        benefits.talent_entitlements_edit,
        name="talent_entitlements_edit",
    ),
    path(
        "entitlements/generate/",
        benefits.entitlements_generate_edit,
        name="entitlements_generate_edit",
    ),
    *record_paths("entitlements/", benefits, "entitlement", "list", "detail", "move"),
    new_child_path("entitlements/", "entitlement", "deliveries", benefits, "delivery"),
    *record_paths("deliveries/", benefits, "delivery", "list", "evidence"),
    path("payments/", benefits.payment_list, name="payment_list"),
    path("payments/confirm/", benefits.payment_list_edit, name="payment_list_edit"),
    path("reminders/", benefits.reminder_list, name="reminder_list"),
    # Apartments
    *record_paths("apartments/", apartments, "apartment"),
    new_child_path("apartments/", "apartment", "rooms", apartments, "room"),
    path("rooms/<int:pk>/edit/", apartments.room_edit, name="room_edit"),
    new_child_path("rooms/", "room", "allocations", apartments, "room_allocation"),
    *record_paths("allocations/", apartments, "room_allocation", "list", "move"),
]
