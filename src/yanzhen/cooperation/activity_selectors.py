"""Reads of an activity's or a secondment's relations, and of base types, for the detail, form
and API pages (the lists are in ``cooperation.selectors``). The record itself is fetched
through its scoped selector first; what is read here is limited to the user's scope where the
related records depend on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.cooperation.models import (
    Activity,
    ActivityParticipant,
    BaseType,
    Cooperation,
    Secondment,
)
from yanzhen.cooperation.selectors import activity_qs, cooperation_qs
from yanzhen.core.models import Person
from yanzhen.core.selectors import person_qs

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def activity_rows(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The activities of ``activity_list`` with their cooperations and participants (the
    list's counts), no query per row."""
    return activities.prefetch_related("cooperations", "participants")


def activity_cooperations(user: AnyUser, activity: Activity) -> QuerySet[Cooperation]:
    """The cooperations an activity led to that the user may see."""
    return activity.cooperations.filter(pk__in=cooperation_qs(user))


def activity_cooperation_ids(user: AnyUser, activity: Activity) -> list[int]:
    return list(activity_cooperations(user, activity).values_list("pk", flat=True))


def activity_participants(activity: Activity) -> QuerySet[ActivityParticipant]:
    """An activity's participants with their units."""
    return activity.participants.select_related("unit")


def with_relations(user: AnyUser, activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with what the API shows of them: the cooperations the user may see, the
    participants with their units, the attachments."""
    visible = cooperation_qs(user).only("pk", "code", "title")
    return activities.prefetch_related(
        Prefetch("cooperations", queryset=visible),
        Prefetch("participants", queryset=ActivityParticipant.objects.select_related("unit")),
        "attachments",
    )


def activity_shown(user: AnyUser, pk: int) -> Activity:
    """The activity ``pk`` as the API shows it (404 outside the user's scope)."""
    return get_object_or_404(
        with_relations(user, activity_qs(user).select_related("organizer_unit")), pk=pk
    )


def secondee_choices(user: AnyUser, current: Secondment | None) -> QuerySet[Person]:
    """The people a secondment may name: those in the user's scope, and the secondee the
    secondment already names (in the scope or not)."""
    people = person_qs(user)
    if current is not None:
        people = people | Person.objects.filter(pk=current.person_id)
    return people


def secondee_find(user: AnyUser, pk: int, *, kept: bool) -> Person | None:
    """The person ``pk`` an API body names: the one the secondment already names (``kept``),
    or one in the user's scope; None otherwise."""
    people = Person.objects.all() if kept else person_qs(user)
    return people.filter(pk=pk).first()


def secondment_cooperation_find(user: AnyUser, pk: int, *, kept: bool) -> Cooperation | None:
    """The cooperation ``pk`` an API body names: the one the secondment already names
    (``kept``), or one in the user's scope; None otherwise."""
    visible = Cooperation.objects.all() if kept else cooperation_qs(user)
    return visible.filter(pk=pk).first()


def base_type_find(pk: int) -> BaseType | None:
    """The base type ``pk`` (a shared catalogue, not scoped), or None."""
    return BaseType.objects.filter(pk=pk).first()
