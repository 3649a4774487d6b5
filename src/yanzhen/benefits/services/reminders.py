"""Reminders of expiring entitlements, insurance renewals and due visits and check-ups,
through the notification mechanism (``notifications.notify``; the worker sends the e-mails)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yanzhen.benefits.eligibility import add_months
from yanzhen.benefits.models import (
    RECURRING_KINDS,
    BenefitKind,
    Entitlement,
    EntitlementStatus,
)
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Notification
from yanzhen.notifications.services import notify, robot_batch

EXPIRY_DAYS = 30
DUE_DAYS = 7

# Marked for translation here, translated where shown (the keys are also filter values).
CATEGORY_LABELS = {
    "expiring": gettext_noop("待遇即将到期"),
    "insurance": gettext_noop("保险待续保"),
    "visit": gettext_noop("走访到期"),
    "checkup": gettext_noop("体检到期"),
}


@dataclass(frozen=True)
class Reminder:
    category: str
    entitlement: Entitlement
    due: dt.date

    @property
    def label(self) -> str:
        return _(CATEGORY_LABELS[self.category])

    @property
    def title(self) -> str:
        talent = self.entitlement.talent
        name = f"{talent.person.name}（{talent.employer.label}）"
        benefit = self.entitlement.benefit.name
        if self.category == "expiring":
            return _("%(name)s的%(benefit)s将于%(due)s到期") % {
                "name": name,
                "benefit": benefit,
                "due": format(self.due, "%Y-%m-%d"),
            }
        if self.category == "insurance":
            return _("%(name)s的%(benefit)s将于%(due)s到期，请办理续保") % {
                "name": name,
                "benefit": benefit,
                "due": format(self.due, "%Y-%m-%d"),
            }
        verb = _("走访慰问") if self.category == "visit" else _("健康体检")
        return _("%(name)s应于%(due)s前%(verb)s（%(benefit)s）") % {
            "name": name,
            "due": format(self.due, "%Y-%m-%d"),
            "verb": verb,
            "benefit": benefit,
        }

    @property
    def occasion(self) -> str:
        """What makes it a new reminder of the same entitlement: its kind and due date."""
        return f"{self.category}:{self.due.isoformat()}"


def reminders_due(on: dt.date, entitlements: QuerySet[Entitlement] | None = None) -> list[Reminder]:
    """What needs doing around ``on``: entitlements ending within 30 days (insurance ones as
    renewals), and visits and check-ups due within 7 days or overdue (the first one an
    interval after the start, then an interval after the last delivery)."""
    qs = (entitlements if entitlements is not None else Entitlement.objects.all()).filter(
        status=EntitlementStatus.ACTIVE
    )
    qs = qs.select_related("talent__person", "talent__employer", "benefit")
    found: list[Reminder] = []
    ending = qs.filter(end_date__gte=on, end_date__lte=on + dt.timedelta(days=EXPIRY_DAYS))
    for entitlement in ending.exclude(benefit__kind__in=RECURRING_KINDS).order_by("end_date", "pk"):
        assert entitlement.end_date is not None
        category = "insurance" if entitlement.benefit.kind == BenefitKind.INSURANCE else "expiring"
        found.append(Reminder(category, entitlement, entitlement.end_date))
    recurring = (
        qs.filter(benefit__kind__in=RECURRING_KINDS, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(Q(talent__end_date__isnull=True) | Q(talent__end_date__gte=on))
        .annotate(last=Max("deliveries__date"))
        .order_by("pk")
    )
    for entitlement in recurring:
        interval = entitlement.benefit.interval_months or 12
        last: dt.date | None = entitlement.last
        due = add_months(last or entitlement.start_date, interval)
        if due <= on + dt.timedelta(days=DUE_DAYS) and (
            entitlement.end_date is None or due <= entitlement.end_date
        ):
            found.append(Reminder(entitlement.benefit.kind, entitlement, due))
    found.sort(key=lambda r: (r.due, r.category, r.entitlement.pk))
    return found


def reminders_send(on: dt.date) -> tuple[list[Reminder], list[Notification]]:
    """Notify the talent's employer and the paying unit of each reminder, once per reminder
    (the occasion holds the due date); the e-mails go out through the worker."""
    reminders = reminders_due(on)
    sent: list[Notification] = []
    with robot_batch():  # one message per group robot for the whole run
        for reminder in reminders:
            entitlement = reminder.entitlement
            sent += notify(
                event=Event.TALENT_REMINDER,
                about=entitlement,
                occasion=reminder.occasion,
                title=reminder.title,
                body=f"{reminder.label}：{reminder.title}。",
                url=reverse("talent:entitlement_detail", kwargs={"pk": entitlement.pk}),
                units=[entitlement.talent.employer, entitlement.benefit.paying_unit],
            )
    return reminders, sent
