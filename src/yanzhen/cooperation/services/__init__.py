"""Writes of the cooperation ledger: cooperations and their stages, bases. Every write keeps
the figures' tally and the visibility links in step, in the same transaction. Activities and
secondments have their own modules (``services.activities``, ``services.secondments``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.cooperation import tally
from yanzhen.cooperation.models import (
    Attachment,
    Base,
    BaseType,
    Cooperation,
    CooperationLink,
    CooperationParty,
    CooperationUniversity,
    EventStatus,
    StageEvent,
    TaskForceMember,
)
from yanzhen.cooperation.selectors import base_qs

# Activities and secondments have modules of their own; imported with the ledger's services
# so that their reverters are registered wherever the app's services are.
from yanzhen.cooperation.services import activities as activities
from yanzhen.cooperation.services import review as review
from yanzhen.cooperation.services import secondments as secondments
from yanzhen.cooperation.services.figures import STAGE_FIELDS as _STAGE_FIELDS
from yanzhen.cooperation.services.figures import record_change as _record_change
from yanzhen.cooperation.services.figures import snapshot as _snapshot
from yanzhen.cooperation.services.figures import stage_date as _stage_date
from yanzhen.cooperation.services.figures import state_of as state_of
from yanzhen.core import integrity
from yanzhen.core.counties import code_prefix, needs_review
from yanzhen.core.errors import DomainError
from yanzhen.core.history import (
    Related,
    register_reverter,
    related_keys,
    set_related,
)
from yanzhen.core.models import LOCAL_PARTY_KINDS, Person, Unit, UnitKind, User, check_version
from yanzhen.core.scope import scope_of
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.core.trash import deleted_for_restore, trash, untrash
from yanzhen.engines.stages import (
    Move,
    Stage,
    StageError,
    StageProblem,
    apply_move,
    validate_state,
)
from yanzhen.reference.models import Industry, LocalIndustry, University


@dataclass
class CooperationData:
    """Everything a cooperation is made of, as the forms, the API and the import give it."""

    title: str
    owner_unit: Unit
    parties: Sequence[Unit]
    universities: Sequence[University]
    channel: str
    kind: str
    intention_date: dt.date
    stage: str = Stage.INTENTION
    agreement_date: dt.date | None = None
    landed_date: dt.date | None = None
    dropped_date: dt.date | None = None
    drop_reason: str = ""
    base: Base | None = None
    local_industry: LocalIndustry | None = None
    industry: Industry | None = None
    planned_investment: Decimal = Decimal(0)
    landed_investment: Decimal = Decimal(0)
    participants: int = 0
    online: bool = False
    description: str = ""
    code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_SCALAR_FIELDS = (
    "title",
    "owner_unit",
    "channel",
    "kind",
    "base",
    "local_industry",
    "industry",
    "planned_investment",
    "landed_investment",
    "participants",
    "online",
    "description",
)


def _problems_to_error(
    problems: Iterable[StageProblem], code: str = "invalid_stage"
) -> DomainError:
    fields: dict[str, str] = {}
    for problem in problems:
        fields.setdefault(problem.field, problem.message)
    return DomainError(code, next(iter(fields.values())), fields)


def _check(
    actor: User | None,
    data: CooperationData,
    *,
    instance: Cooperation | None,
    duplicate: bool | None = None,
    inside: Callable[[Unit], bool] | None = None,
) -> None:
    """The rules every cooperation obeys, whoever writes it (``duplicate``: whether another
    cooperation of the owner has this title, when the caller has asked for many at once;
    ``inside``: whether a unit is in the actor's scope, when asked for many at once)."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("请填写合作名称")
    if not data.parties:
        errors["parties"] = _("至少选择一个本地合作方")
    for unit in data.parties:
        if unit.kind not in LOCAL_PARTY_KINDS:
            errors["parties"] = _("“%(name)s”不是本地单位，高校请填在合作高校中") % {
                "name": unit.name
            }
    if not data.universities:
        errors["universities"] = _("至少选择一所合作高校（院所）")
    if data.planned_investment < 0:
        errors["planned_investment"] = _("计划投资不能为负数")
    if data.landed_investment < 0:
        errors["landed_investment"] = _("落地投资不能为负数")
    elif data.landed_investment > 0 and data.landed_date is None:
        errors["landed_investment"] = _("尚未落地的合作不应填写落地投资")
    if data.participants < 0:
        errors["participants"] = _("参与人数不能为负数")
    if duplicate is None:
        same = Cooperation.objects.filter(owner_unit=data.owner_unit, title=data.title.strip())
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        duplicate = bool(data.title.strip()) and same.exists()
    if data.title.strip() and duplicate:
        errors["title"] = _("%(unit)s已登记过同名合作“%(title)s”") % {
            "unit": data.owner_unit.name,
            "title": data.title.strip(),
        }
    for problem in validate_state(state_of(data), today=timezone.localdate()):
        errors.setdefault(problem.field, problem.message)
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    if actor is not None:
        contains = inside or scope_of(actor).contains_unit
        if not contains(data.owner_unit):
            raise DomainError(
                "out_of_scope",
                _("登记单位不在您的数据范围内"),
                {"owner_unit": _("不在您的数据范围内")},
            )
        for unit in data.parties:
            if not contains(unit):
                raise DomainError(
                    "out_of_scope",
                    _("本地合作方“%(name)s”不在您的数据范围内") % {"name": unit.name},
                    {"parties": _("“%(name)s”不在您的数据范围内") % {"name": unit.name}},
                )
        base_changed = (data.base.pk if data.base else None) != (
            instance.base_id if instance is not None else None
        )
        if data.base is not None and base_changed and not _base_visible(actor, data.base):
            raise DomainError(
                "out_of_scope", _("所选基地不在您的数据范围内"), {"base": _("无权选择")}
            )
        _check_owner_and_base(actor, data, instance=instance)


# The county office's permission: it alone moves a cooperation to another owner, and it may
# put a cooperation into any base or take it out.
REASSIGN_PERMISSION = "cooperation.reassign_cooperation"


def may_change_owner(actor: User) -> bool:
    """Only the county office changes who registered a cooperation (a party unit could
    otherwise take over someone else's record, and its owner would lose sight of it)."""
    return actor.has_perm(REASSIGN_PERMISSION)


def may_change_base(actor: User, base: Base | None) -> bool:
    """The office, or the lead department of ``base`` (or a unit above it: the department is
    in the actor's data scope), may put a cooperation into ``base`` or take it out."""
    if base is None or actor.has_perm(REASSIGN_PERMISSION):
        return True
    return scope_of(actor).contains_unit(base.lead_department)


def _check_owner_and_base(
    actor: User, data: CooperationData, *, instance: Cooperation | None
) -> None:
    """Issue 11, item 7: the owner changes only by the county office; the base only by the
    office or the lead department of the base it leaves and of the base it joins."""
    owner_changed = instance is not None and data.owner_unit.pk != instance.owner_unit_id
    if owner_changed and not may_change_owner(actor):
        raise DomainError(
            "owner_change",
            _("登记单位只能由县合作办变更"),
            {"owner_unit": _("只有县合作办可以变更登记单位")},
            status=403,
        )
    old = instance.base if instance is not None else None
    new = data.base
    if (new.pk if new else None) == (old.pk if old else None):
        return
    for base in (old, new):
        if base is not None and not may_change_base(actor, base):
            raise DomainError(
                "base_change",
                _("所属基地只能由县合作办或“%(base)s”的牵头部门变更") % {"base": base.name},
                {"base": _("只有县合作办或基地牵头部门可以变更所属基地")},
                status=403,
            )


def _base_visible(actor: User, base: Base) -> bool:
    return base_qs(actor).filter(pk=base.pk).exists()


def _next_number(prefix: str) -> int:
    """The next number after ``prefix`` (``HZ2026`` or ``HZ1408812026``, see
    ``counties.code_prefix``), after every code given, deleted cooperations' too."""
    last = (
        Cooperation.all_objects.filter(
            code__startswith=prefix, code__regex=rf"^{re.escape(prefix)}\d{{6}}$"
        )
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return int(last[len(prefix) :]) + 1 if last else 1


def _next_code(unit: Unit | None, year: int) -> str:
    """The next code of a cooperation of ``unit``'s county in ``year``, in its format."""
    prefix = code_prefix(unit, year)
    return f"{prefix}{_next_number(prefix):06d}"


def _related_of(data: CooperationData) -> Related:
    """The parties and universities a write leaves, for the version's history."""
    return {
        "parties": sorted({u.pk for u in data.parties}),
        "universities": sorted({u.pk for u in data.universities}),
    }


def _sync_relations(cooperation: Cooperation, data: CooperationData) -> None:
    party_ids = {u.pk for u in data.parties}
    uni_ids = {u.pk for u in data.universities}
    CooperationParty.objects.filter(cooperation=cooperation).exclude(unit_id__in=party_ids).delete()
    have = set(
        CooperationParty.objects.filter(cooperation=cooperation).values_list("unit_id", flat=True)
    )
    CooperationParty.objects.bulk_create(
        CooperationParty(cooperation=cooperation, unit_id=u) for u in sorted(party_ids - have)
    )
    CooperationUniversity.objects.filter(cooperation=cooperation).exclude(
        university_id__in=uni_ids
    ).delete()
    have = set(
        CooperationUniversity.objects.filter(cooperation=cooperation).values_list(
            "university_id", flat=True
        )
    )
    CooperationUniversity.objects.bulk_create(
        CooperationUniversity(cooperation=cooperation, university_id=u)
        for u in sorted(uni_ids - have)
    )
    sync_links(cooperation, party_ids)


def sync_links(cooperation: Cooperation, party_ids: Iterable[int]) -> None:
    """Make the visibility links equal to owner ∪ parties ∪ the base's lead department."""
    wanted = {cooperation.owner_unit_id, *party_ids}
    if cooperation.base_id is not None:
        wanted.add(
            Base.objects.values_list("lead_department_id", flat=True).get(pk=cooperation.base_id)
        )
    CooperationLink.objects.filter(cooperation=cooperation).exclude(unit_id__in=wanted).delete()
    have = set(
        CooperationLink.objects.filter(cooperation=cooperation).values_list("unit_id", flat=True)
    )
    CooperationLink.objects.bulk_create(
        CooperationLink(cooperation=cooperation, unit_id=u) for u in sorted(wanted - have)
    )


@transaction.atomic
def cooperation_create(
    *, actor: User | None, data: CooperationData, evidence: UploadedFile[bytes] | None = None
) -> Cooperation:
    """Register a cooperation; a lower unit's waits for review (``services.review``), with
    the ``evidence`` of its stage."""
    _check(actor, data, instance=None)
    if data.code and Cooperation.all_objects.filter(code=data.code).exists():
        raise DomainError(
            "duplicate",
            _("合作编号“%(code)s”已存在") % {"code": data.code},
            {"code": _("编号已存在")},
        )
    cooperation = Cooperation(
        code=data.code or _next_code(data.owner_unit, data.intention_date.year),
        created_by=actor,
        updated_by=actor,
        **{name: getattr(data, name) for name in _SCALAR_FIELDS + _STAGE_FIELDS},
    )
    cooperation.title = cooperation.title.strip()
    reported = needs_review(actor)
    cooperation.approved = not reported  # a lower unit's entry counts once approved
    cooperation._history_user = actor  # type: ignore[attr-defined]
    set_related(cooperation, _related_of(data))
    validate(cooperation)
    cooperation.save()
    _sync_relations(cooperation, data)
    event = StageEvent(
        cooperation=cooperation,
        from_stage="",
        to_stage=cooperation.stage,
        date=_stage_date(cooperation),
        reason="新建登记",
        created_by=actor,
        status=EventStatus.PENDING if reported else EventStatus.APPROVED,
    )
    if evidence is not None:
        event.evidence.save(evidence.name or "evidence", evidence, save=False)
    event.save()
    _record_change(None, cooperation, {u.pk for u in data.parties})
    integrity.seal(cooperation)
    if reported and actor is not None:
        review.submit_event(actor=actor, cooperation=cooperation, event=event, creation=True)
    return cooperation


@transaction.atomic
def cooperation_update(
    *,
    actor: User | None,
    cooperation: Cooperation,
    data: CooperationData,
    allow_stage_forward: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> Cooperation:
    """Change a cooperation's fields. The stage itself moves through ``cooperation_move``;
    an import may move it forward (``allow_stage_forward``) when the new state is valid."""
    cooperation = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    check_version(cooperation, expected_version)
    before = _snapshot(cooperation)
    old_stage = Stage(cooperation.stage)
    new_stage = Stage(data.stage)
    if new_stage != old_stage:
        forward = (
            allow_stage_forward
            and old_stage != Stage.DROPPED
            and (new_stage == Stage.DROPPED or _rank(new_stage) > _rank(old_stage))
        )
        if not forward:
            raise DomainError(
                "stage_change",
                _("阶段变更请使用“变更阶段”，退回或恢复须说明原因"),
                {"stage": _("阶段不能在此修改")},
            )
    _check(actor, data, instance=cooperation)
    stage_changed = any(getattr(data, n) != getattr(cooperation, n) for n in _STAGE_FIELDS)
    if stage_changed and cooperation.approved and needs_review(actor):
        message = _("已审核的阶段和日期须通过“变更阶段”报送审核")
        raise DomainError("stage_review", message, {"stage": message})
    if data.code and data.code != cooperation.code:
        raise DomainError("code_change", _("合作编号不能修改"), {"code": _("编号不能修改")})
    for name in _SCALAR_FIELDS + _STAGE_FIELDS:
        setattr(cooperation, name, getattr(data, name))
    cooperation.title = cooperation.title.strip()
    cooperation.updated_by = actor
    cooperation._history_user = actor  # type: ignore[attr-defined]
    set_related(cooperation, _related_of(data))
    validate(cooperation)
    cooperation.save()
    _sync_relations(cooperation, data)
    if new_stage != old_stage:
        StageEvent.objects.create(
            cooperation=cooperation,
            from_stage=old_stage,
            to_stage=new_stage,
            date=_stage_date(cooperation),
            reason=note or "导入更新",
            created_by=actor,
        )
    _record_change(before, cooperation, {u.pk for u in data.parties})
    integrity.seal(cooperation)
    return cooperation


def _rank(stage: Stage) -> int:
    return [Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED].index(stage)


@transaction.atomic
def cooperation_move(
    *,
    actor: User | None,
    cooperation: Cooperation,
    target: str,
    date: dt.date | None,
    reason: str = "",
    evidence: UploadedFile[bytes] | None = None,
    expected_version: int | None = None,
) -> Cooperation:
    """Move a cooperation to another stage (see ``engines.stages.apply_move`` for the rules)."""
    cooperation = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    check_version(cooperation, expected_version)
    before = _snapshot(cooperation)
    try:
        target_stage = Stage(target)
    except ValueError:
        message = _("目标阶段不正确")
        raise DomainError("invalid_stage", message, {"target": message}) from None
    try:
        new = apply_move(
            state_of(cooperation),
            Move(target_stage, date, reason),
            today=timezone.localdate(),
        )
    except StageError as error:
        raise _problems_to_error(error.problems) from error
    if needs_review(actor) and actor is not None:
        return _report_move(actor, cooperation, new.stage, date, reason, evidence)
    old_stage = cooperation.stage
    for name in _STAGE_FIELDS:
        setattr(cooperation, name, getattr(new, name))
    if new.landed_date is None:
        cooperation.landed_investment = Decimal(0)
    cooperation.updated_by = actor
    cooperation._history_user = actor  # type: ignore[attr-defined]
    cooperation.save()
    event = StageEvent(
        cooperation=cooperation,
        from_stage=old_stage,
        to_stage=new.stage,
        date=date,
        reason=reason.strip(),
        created_by=actor,
    )
    if evidence is not None:
        event.evidence.save(evidence.name or "evidence", evidence, save=False)
    event.save()
    _record_change(before, cooperation, tally.party_ids(cooperation.pk))
    integrity.seal(cooperation)
    return cooperation


def _report_move(
    actor: User,
    cooperation: Cooperation,
    target: str,
    date: dt.date | None,
    reason: str,
    evidence: UploadedFile[bytes] | None,
) -> Cooperation:
    """A lower unit's move: kept as a pending event and submitted for review; the
    cooperation (its approved stage) is left as it is."""
    if not cooperation.approved:
        message = _("新登记的合作尚未审核通过，暂不能变更阶段")
        raise DomainError("pending", message, {"target": message}, status=409)
    event = StageEvent(
        cooperation=cooperation,
        from_stage=cooperation.stage,
        to_stage=target,
        date=date,
        reason=reason.strip(),
        created_by=actor,
        status=EventStatus.PENDING,
    )
    if evidence is not None:
        event.evidence.save(evidence.name or "evidence", evidence, save=False)
    event.save()
    review.submit_event(actor=actor, cooperation=cooperation, event=event, creation=False)
    return cooperation


@transaction.atomic
def cooperation_revert(
    *,
    actor: User | None,
    instance: Cooperation,
    version: Cooperation,
    reason: str,
    related: Related | None = None,
) -> Cooperation:
    """Put back an earlier version: its fields and its parties and universities (as the
    version recorded them; versions older than that record keep the current ones), keeping
    the figures in step. The rules of an edit still apply: the stages, the data scope, and who
    may change the owner and the base."""
    cooperation: Cooperation = Cooperation.objects.select_for_update().get(pk=instance.pk)
    check_version(cooperation, None)
    before = _snapshot(cooperation)
    old_stage = cooperation.stage
    wanted = {**related_keys(cooperation), **(related or {})}
    parties = Unit.objects.in_bulk(wanted["parties"])
    universities = University.objects.in_bulk(wanted["universities"])
    if len(parties) != len(set(wanted["parties"])) or len(universities) != len(
        set(wanted["universities"])
    ):
        raise DomainError("not_revertible", _("该版本的合作方或合作高校已不存在，不能还原"))
    values = {
        name: getattr(version, str(getattr(Cooperation._meta.get_field(name), "attname", name)))
        for name in _SCALAR_FIELDS + _STAGE_FIELDS
    }
    for name in ("owner_unit", "base", "local_industry", "industry"):
        key = values[name]
        model = Cooperation._meta.get_field(name).related_model
        assert isinstance(model, type)
        values[name] = model._default_manager.filter(pk=key).first() if key is not None else None
    if values["owner_unit"] is None:
        raise DomainError("not_revertible", _("该版本的登记单位已不存在，不能还原"))
    if values["landed_date"] is None:
        values["landed_investment"] = Decimal(0)
    data = CooperationData(
        parties=[parties[pk] for pk in wanted["parties"]],
        universities=[universities[pk] for pk in wanted["universities"]],
        **values,
    )
    _check(actor, data, instance=cooperation)
    for name in _SCALAR_FIELDS + _STAGE_FIELDS:
        setattr(cooperation, name, getattr(data, name))
    cooperation.updated_by = actor
    cooperation._history_user = actor  # type: ignore[attr-defined]
    cooperation._change_reason = reason  # type: ignore[attr-defined]
    set_related(cooperation, wanted)
    validate(cooperation)
    cooperation.save()
    _sync_relations(cooperation, data)
    if cooperation.stage != old_stage:
        StageEvent.objects.create(
            cooperation=cooperation,
            from_stage=old_stage,
            to_stage=cooperation.stage,
            date=_stage_date(cooperation),
            reason=reason,
            created_by=actor,
        )
    _record_change(before, cooperation, set(wanted["parties"]))
    integrity.seal(cooperation)
    return cooperation


register_reverter(Cooperation, cooperation_revert)


@transaction.atomic
def cooperation_delete(*, actor: User | None, cooperation: Cooperation) -> None:
    """Delete softly: the cooperation leaves every list and figure and can be restored."""
    before = _snapshot(Cooperation.objects.select_for_update().get(pk=cooperation.pk))
    trash(Cooperation, cooperation.pk, actor=actor)
    _record_change(before, None, set())


@transaction.atomic
def cooperation_restore(*, actor: User | None, cooperation: Cooperation) -> Cooperation:
    cooperation = deleted_for_restore(Cooperation, cooperation.pk, not_deleted=_("该合作未被删除"))
    if Cooperation.objects.filter(
        owner_unit_id=cooperation.owner_unit_id, title=cooperation.title
    ).exists():
        raise DomainError(
            "duplicate",
            _("已有同名合作“%(title)s”，不能恢复") % {"title": cooperation.title},
        )
    untrash(cooperation, actor=actor)
    _record_change(None, cooperation, tally.party_ids(cooperation.pk))
    return cooperation


def attachment_create(
    *, actor: User | None, cooperation: Cooperation, title: str, file: UploadedFile[bytes]
) -> Attachment:
    if not title.strip():
        message = _("请填写附件名称")
        raise DomainError("invalid", message, {"title": message})
    attachment = Attachment(
        cooperation=cooperation, title=title.strip(), created_by=actor, updated_by=actor
    )
    attachment.file.save(file.name or "file", file, save=False)
    attachment.save()
    return attachment


# Bases ---------------------------------------------------------------------------------------

BASE_FIELDS = (
    *("code", "name", "county", "lead_department", "leader", "base_type", "description"),
    "sort_order",
)


@transaction.atomic
def base_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    county: Unit,
    lead_department: Unit,
    leader: Person | None = None,
    base_type: BaseType | None = None,
    description: str = "",
    sort_order: int = 0,
) -> Base:
    base = Base(
        code=code,
        name=name,
        county=county,
        lead_department=lead_department,
        leader=leader,
        base_type=base_type,
        description=description,
        sort_order=sort_order,
        created_by=actor,
    )
    return _base_save(actor, base)


@transaction.atomic
def base_update(
    *, actor: User | None, base: Base, expected_version: int | None, **fields: Any
) -> Base:
    """Change the fields given (``BASE_FIELDS``); the others keep their values. A new lead
    department sees the base's cooperations (and the one before no longer does)."""
    unknown = set(fields) - set(BASE_FIELDS)
    if unknown:
        raise TypeError(f"unknown Base fields: {sorted(unknown)}")
    base = Base.objects.select_for_update().get(pk=base.pk)
    check_version(base, expected_version)
    old_lead = base.lead_department_id
    for name, value in fields.items():
        setattr(base, name, value)
    _base_save(actor, base)
    if old_lead != base.lead_department_id:
        for cooperation in base.cooperations.all():
            sync_links(cooperation, tally.party_ids(cooperation.pk))
    return base


@transaction.atomic
def base_delete(*, actor: User | None, base: Base) -> None:
    """Remove a base filed by mistake (an import undone): not one that cooperations, a work
    plan or its milestones already name."""
    if actor is not None:
        require_unit_in_scope(
            actor, base.lead_department, field="lead_department", label=_("牵头部门")
        )
    named = Q(milestones__isnull=False) | Q(work_plan__isnull=False)
    if base.cooperations.exists() or Base.objects.filter(named, pk=base.pk).exists():
        message = _("基地“%(name)s”已有合作或工作方案节点，不能删除") % {"name": base.name}
        raise DomainError("in_use", message, {"code": message})
    base._history_user = actor  # type: ignore[attr-defined]
    base.delete()


def _base_save(actor: User | None, base: Base) -> Base:
    if actor is not None:
        require_unit_in_scope(
            actor, base.lead_department, field="lead_department", label=_("牵头部门")
        )
    base.updated_by = actor
    base._history_user = actor  # type: ignore[attr-defined]
    validate(base)
    base.save()
    return base


@transaction.atomic
def task_force_set(
    *, actor: User | None, base: Base, members: Sequence[tuple[Person, str]]
) -> None:
    """Make the task force of ``base`` ``members`` (person, duty): members who leave are
    deleted, changed duties saved, new members added after the others — each change with
    one history row (members who stay keep their place)."""
    have = {m.person_id: m for m in TaskForceMember.objects.filter(base=base)}
    wanted = {person.pk for person, _duty in members}
    for leaving in have.values():
        if leaving.person_id not in wanted:
            leaving._history_user = actor  # type: ignore[attr-defined]
            leaving.delete()
    next_order = max((m.sort_order for m in have.values()), default=-1) + 1
    for person, duty in members:
        member = have.get(person.pk)
        if member is None:
            member = TaskForceMember(
                base=base, person=person, sort_order=next_order, created_by=actor
            )
            next_order += 1
        elif member.duty == duty:
            continue
        member.duty = duty
        member.updated_by = actor
        member._history_user = actor  # type: ignore[attr-defined]
        validate(member)
        member.save()


BASE_TYPE_FIELDS = ("code", "name", "purpose", "expected_content", "sort_order")


def may_keep_base_types(user: User) -> bool:
    """The province keeps the catalogue: a user of the province, or one of no unit (the
    platform's administrators), with the permission."""
    return user.has_perm("cooperation.change_basetype") and (
        user.unit is None or user.unit.kind == UnitKind.PROVINCE
    )


@transaction.atomic
def base_type_save(
    *,
    actor: User,
    base_type: BaseType | None,
    expected_version: int | None = None,
    **fields: Any,
) -> BaseType:
    """Create (``base_type`` None) or change a kind of base of the province's catalogue. Only
    a user of the province (or above every county: no unit) keeps the catalogue."""
    unknown = set(fields) - set(BASE_TYPE_FIELDS)
    if unknown:
        raise TypeError(f"unknown BaseType fields: {sorted(unknown)}")
    if not may_keep_base_types(actor):
        raise DomainError(
            "province_only",
            _("基地类型目录由省级维护"),
            {"code": _("只有省级用户可以维护")},
            status=403,
        )
    if base_type is None:
        base_type = BaseType(created_by=actor)
    else:
        base_type = BaseType.objects.select_for_update().get(pk=base_type.pk)
        check_version(base_type, expected_version)
    for name, value in fields.items():
        setattr(base_type, name, value.strip() if isinstance(value, str) else value)
    base_type.updated_by = actor
    base_type._history_user = actor  # type: ignore[attr-defined]
    validate(base_type)
    base_type.save()
    return base_type
