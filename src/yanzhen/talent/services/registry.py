"""The talent registry: talents, service agreements of flexible introductions, workload; the
registry's entry of each secondee, which follows its secondment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import ProtectedError

from yanzhen.core import integrity
from yanzhen.core.models import Person, Unit, User
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models import (
    Campaign,
    Channel,
    ServiceAgreement,
    Talent,
    TalentType,
    WorkloadEntry,
)
from yanzhen.talent.services.common import apply, changed, check_unit, fail, not_in_future, save

if TYPE_CHECKING:
    from yanzhen.cooperation.models import Secondment

AGREEMENT_TYPES: tuple[str, ...] = (TalentType.FLEXIBLE, TalentType.PROJECT_TEAM)
# A seconded cadre's entry holds the secondment's facts: these fields are the secondment's.
SECONDMENT_FIELDS = (
    "talent_type",
    "university",
    "employer",
    "channel",
    "start_date",
    "end_date",
    "note",
)


def _check_talent(talent: Talent) -> None:
    if talent.end_date is not None and talent.end_date < talent.start_date:
        raise fail("end_date", "离岗日期不能早于到岗日期")
    duplicate = Talent.objects.filter(
        person_id=talent.person_id, talent_type=talent.talent_type, start_date=talent.start_date
    )
    if talent.pk is not None:
        duplicate = duplicate.exclude(pk=talent.pk)
    if duplicate.exists():
        raise fail("start_date", "该人员已有同类型、同到岗日期的人才记录")


@transaction.atomic
def talent_create(
    *,
    actor: User | None,
    person: Person,
    talent_type: str,
    employer: Unit,
    channel: str,
    start_date: dt.date,
    degree: str = "",
    university: University | None = None,
    discipline: Discipline | None = None,
    campaign: Campaign | None = None,
    end_date: dt.date | None = None,
    note: str = "",
    check_scope: bool = True,
) -> Talent:
    """File a talent; ``check_scope=False`` when the employer was checked before (a host unit
    of a confirmed placement). A seconded cadre is filed as a secondment (the registry's
    entry follows it)."""
    if talent_type == TalentType.SECONDED:
        raise fail("talent_type", "挂职干部请在“挂职交流”中登记，人才库随之列入")
    if check_scope:
        check_unit(actor, employer, field="employer", label="用人单位")
    talent = Talent(
        person=person,
        talent_type=talent_type,
        degree=degree,
        university=university,
        discipline=discipline,
        employer=employer,
        channel=channel,
        campaign=campaign,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    _check_talent(talent)
    save(talent, actor, history=True)
    return talent


TALENT_FIELDS = (
    "talent_type",
    "degree",
    "university",
    "discipline",
    "employer",
    "channel",
    "campaign",
    "start_date",
    "end_date",
    "note",
)


@transaction.atomic
def talent_update(*, actor: User | None, talent: Talent, **fields: Any) -> Talent:
    """Change the fields given (``TALENT_FIELDS``); the others keep their values. What a
    seconded talent's secondment holds is changed there only."""
    for name in SECONDMENT_FIELDS:
        if name not in fields or fields[name] == getattr(talent, name):
            continue
        if talent.secondment_id is not None:
            label = getattr(Talent._meta.get_field(name), "verbose_name", name)
            raise fail(name, f"挂职干部的{label}以挂职交流记录为准，请在“挂职交流”中修改")
        if name == "talent_type" and fields[name] == TalentType.SECONDED:
            raise fail(name, "挂职干部请在“挂职交流”中登记，人才库随之列入")
    if "employer" in fields:
        check_unit(actor, fields["employer"], field="employer", label="用人单位")
    _check_talent(changed(talent, fields, TALENT_FIELDS))
    save(talent, actor, history=True)
    return talent


@transaction.atomic
def talent_delete(*, actor: User | None, talent: Talent) -> None:
    """Remove a talent filed by mistake (an import undone): not a seconded cadre's entry (it
    follows its secondment), nor one that agreements, workload or benefits already name."""
    if talent.secondment_id is not None:
        raise fail("talent_type", "挂职干部的人才记录随挂职交流记录删除")
    check_unit(actor, talent.employer, field="employer", label="用人单位")
    talent._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            talent.delete()
    except ProtectedError as error:
        raise fail(
            "__all__", f"人才“{talent.person.name}”已有协议、工作量或待遇记录，不能删除"
        ) from error


AGREEMENT_FIELDS = (
    *("title", "signed_on", "start_date", "end_date", "days_per_year", "remuneration"),
    "content",
)


def agreement_create(
    *,
    actor: User | None,
    talent: Talent,
    title: str,
    signed_on: dt.date,
    start_date: dt.date,
    end_date: dt.date,
    days_per_year: Decimal,
    remuneration: Decimal = Decimal(0),
    content: str = "",
) -> ServiceAgreement:
    agreement = ServiceAgreement(
        talent=talent,
        title=title,
        signed_on=signed_on,
        start_date=start_date,
        end_date=end_date,
        days_per_year=days_per_year,
        remuneration=remuneration,
        content=content,
    )
    return _agreement_save(actor, agreement)


def agreement_update(
    *, actor: User | None, agreement: ServiceAgreement, **fields: Any
) -> ServiceAgreement:
    """Change the fields given (``AGREEMENT_FIELDS``); the others keep their values."""
    return _agreement_save(actor, changed(agreement, fields, AGREEMENT_FIELDS))


def _agreement_save(actor: User | None, agreement: ServiceAgreement) -> ServiceAgreement:
    if agreement.talent.talent_type not in AGREEMENT_TYPES:
        raise fail("title", "只有柔性引进专家和项目团队成员登记服务协议")
    if agreement.end_date < agreement.start_date:
        raise fail("end_date", "服务结束不能早于服务开始")
    if agreement.days_per_year <= 0:
        raise fail("days_per_year", "约定服务天数应大于0")
    if agreement.remuneration < 0:
        raise fail("remuneration", "报酬不能为负数")
    not_in_future(agreement.signed_on, "signed_on", "签订日期")
    agreement.title = agreement.title.strip()
    save(agreement, actor)
    integrity.seal(agreement)
    return agreement


def workload_create(
    *,
    actor: User | None,
    agreement: ServiceAgreement,
    date: dt.date,
    days: Decimal,
    content: str,
) -> WorkloadEntry:
    if not agreement.start_date <= date <= agreement.end_date:
        raise fail(
            "date",
            f"服务日期应在协议期内（{agreement.start_date:%Y-%m-%d}至{agreement.end_date:%Y-%m-%d}）",
        )
    not_in_future(date, "date", "服务日期")
    if days <= 0:
        raise fail("days", "天数应大于0")
    entry = WorkloadEntry(agreement=agreement, date=date, days=days, content=content.strip())
    save(entry, actor)
    return entry


@transaction.atomic
def secondment_follow(secondment: Secondment, actor: User | None) -> None:
    """Keep the registry's entry of a secondee equal to its secondment, the one record of
    the secondment (``cooperation.services.secondments`` calls this after each write, in its
    transaction). The entry's degree and discipline are the person's, taken when it is
    filed; the rest is the secondment's."""
    talent = Talent.objects.filter(secondment=secondment).first()
    if talent is None:
        person = secondment.person
        talent = Talent(
            secondment=secondment,
            talent_type=TalentType.SECONDED,
            channel=Channel.SECONDMENT,
            degree=person.degree,
            discipline_id=person.discipline_id,
        )
    values: dict[str, Any] = {
        "person_id": secondment.person_id,
        "employer_id": secondment.host_unit_id,
        "university_id": secondment.university_id,
        "start_date": secondment.start_date,
        "end_date": secondment.end_date,
        "note": secondment.post[:200],
    }
    if talent.pk is not None and all(getattr(talent, k) == v for k, v in values.items()):
        return
    apply(talent, values)
    _check_talent(talent)
    save(talent, actor, history=True)
