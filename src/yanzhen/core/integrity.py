"""Stored-data integrity (等保 level 3, 数据完整性): keyed MACs over the figures that matter.

Each app names its protected models and fields in ``<app>/integrity.py``
(``PROTECTED = (Protected("assessment.Score", ("total", ...)), ...)``). For every protected
record, ``core.IntegrityTag`` holds one HMAC-SHA256 per field over (model, id, field, value),
with a key derived (HKDF) from the field key of ``core/crypto.py`` — outside the database. The
services that write a protected record call ``seal(...)`` in the same transaction; a value
changed behind the platform's back (an SQL ``UPDATE``) no longer matches its MAC.

Checked when read (``read_check``: a Chinese warning on the page or in the API, and a row in
the security log) and by ``yanzhen verify_integrity``, which names model, id and field, the
last history version that still matches, and with ``--revert`` puts that version back through
``core/history.py``.

A row deleted through the ORM loses its tag in the same transaction (a ``post_delete``
receiver, connected per protected model in ``CoreConfig.ready``: cascades such as a talent's
entitlements or a period's scores delete rows without passing through the services that know
about tags). A tag whose row is gone therefore means a deletion outside the platform.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.contrib import messages
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.core import crypto, history
from yanzhen.core.import_writes import insert_rows
from yanzhen.core.models import IntegrityTag
from yanzhen.core.registry import app_module, domain_apps, modules
from yanzhen.core.trail import EventKind, audit_trail

log = logging.getLogger("yanzhen.security")

KEY_INFO = b"yanzhen integrity v1"
MAC_HEX = 32  # 128 bits of HMAC-SHA256 per field
CHUNK = 1000


@dataclass(frozen=True)
class Protected:
    """A model (``"app_label.ModelName"``) and the fields whose values are sealed; ``label``
    the label its seals are made with when it is not the model's own (a model moved to another
    app keeps the label of the app its rows were sealed in, ``"talent.benefit"``)."""

    model: str
    fields: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class ProtectedModel:
    model: type[models.Model]
    label: str  # app_label.modelname, as stored in the tags
    fields: tuple[models.Field[Any, Any], ...]

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)

    def field_label(self, name: str) -> str:
        for f in self.fields:
            if f.name == name:
                return str(f.verbose_name)
        return name


def specs() -> list[Protected]:
    """What every app protects (its ``integrity.PROTECTED``)."""
    out: list[Protected] = []
    for _app, module in modules("integrity"):
        out.extend(getattr(module, "PROTECTED", ()))
    return out


def _resolve(spec: Protected, get_model: Callable[[str], Any]) -> ProtectedModel | None:
    try:
        model = get_model(spec.model)
    except LookupError:
        if not spec.label:
            return None
        try:  # a migration's state from before the model moved
            model = get_model(spec.label)
        except LookupError:
            return None
    names = {f.name for f in model._meta.concrete_fields}
    fields = tuple(model._meta.get_field(name) for name in spec.fields if name in names)
    return ProtectedModel(model, spec.label or model._meta.label_lower, fields)


@cache
def registry() -> dict[str, ProtectedModel]:
    out = {}
    for spec in specs():
        resolved = _resolve(spec, apps.get_model)
        if resolved is not None:
            out[resolved.label] = resolved
    return out


@cache
def _by_model() -> dict[str, ProtectedModel]:
    return {pm.model._meta.label_lower: pm for pm in registry().values()}


def protected(model: type[models.Model]) -> ProtectedModel | None:
    return _by_model().get(model._meta.label_lower)


# The MAC ----------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _derived(master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(master)


def _key() -> bytes:
    return _derived(crypto.master_key())


def canonical(f: models.Field[Any, Any], value: Any) -> str | None:
    """The value as the database gives it back, in one spelling (``10`` and ``10.00`` of a
    two-decimal field are the same figure)."""
    if value is None:
        return None
    if isinstance(f, models.DecimalField):
        decimal = value if isinstance(value, Decimal) else Decimal(str(value))
        places = f.decimal_places or 0
        return format(decimal.quantize(Decimal(1).scaleb(-places)), "f")
    if isinstance(f, models.JSONField):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(f, models.DateTimeField):
        return str(value.astimezone(dt.UTC).isoformat())
    if isinstance(f, models.DateField):
        return str(value.isoformat())
    if isinstance(f, models.BooleanField):
        return "1" if value else "0"
    if isinstance(f, models.FloatField):
        return repr(float(value))
    return str(value)


_json_text: Callable[[str], str] = json.encoder.encode_basestring


def mac(label: str, pk: int, name: str, text: str | None) -> str:
    message = json.dumps([label, int(pk), name, text], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()[:MAC_HEX]


def macs_of(pm: ProtectedModel, pk: int, values: Sequence[Any]) -> dict[str, str]:
    """:func:`mac` of each field (the keyed hash set up once, copied for each field)."""
    keyed = hmac.new(_key(), digestmod=hashlib.sha256)
    # The message of :func:`mac` (``json.dumps`` of the list, compact, not ASCII-escaped),
    # spelled by json's own string encoder: the same bytes without a JSON encoder each.
    head = f"[{_json_text(pm.label)},{int(pk)},"
    out: dict[str, str] = {}
    for f, value in zip(pm.fields, values, strict=True):
        text = canonical(f, value)
        message = f"{head}{_json_text(f.name)},{'null' if text is None else _json_text(text)}]"
        one = keyed.copy()
        one.update(message.encode("utf-8"))
        out[f.name] = one.hexdigest()[:MAC_HEX]
    return out


def _differing(pm: ProtectedModel, pk: int, values: Sequence[Any], stored: Any) -> list[str]:
    """The fields whose MAC does not match the stored one (a missing MAC counts)."""
    stored = stored if isinstance(stored, dict) else {}
    return [
        name
        for name, computed in macs_of(pm, pk, values).items()
        if not hmac.compare_digest(computed, str(stored.get(name, "")))
    ]


# Sealing ---------------------------------------------------------------------------------------


def _tag_model() -> type[models.Model]:
    return IntegrityTag


def _chunks(items: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _attnames(pm: ProtectedModel) -> list[str]:
    return [f.attname for f in pm.fields]


def _seal_pks(
    pm: ProtectedModel, pks: Iterable[int], *, using: str, tag_model: type[models.Model]
) -> int:
    """Write the tags of ``pks`` from the values as stored (read back, so that the MAC is
    over exactly what a later read sees)."""
    ids = sorted(set(pks))
    now = timezone.now()
    count = 0
    for chunk in _chunks(ids):
        rows = (
            pm.model._base_manager.using(using)
            .filter(pk__in=chunk)
            .values_list("pk", *_attnames(pm))
        )
        tags = [
            tag_model(model=pm.label, object_id=pk, macs=macs_of(pm, pk, values), updated_at=now)
            for pk, *values in rows
        ]
        tag_model._default_manager.using(using).bulk_create(
            tags,
            update_conflicts=True,
            unique_fields=["model", "object_id"],
            update_fields=["macs", "updated_at"],
        )
        count += len(tags)
    return count


def seal(*objects: models.Model, using: str = "default") -> int:
    """(Re)write the tags of ``objects`` — call it in the transaction that wrote them."""
    groups: dict[str, list[int]] = defaultdict(list)
    for obj in objects:
        pm = protected(type(obj))
        if pm is None:
            raise ValueError(f"{type(obj).__name__} is not a protected model")
        groups[pm.label].append(int(obj.pk))
    return sum(
        _seal_pks(registry()[label], pks, using=using, tag_model=_tag_model())
        for label, pks in groups.items()
    )


def seal_new(*objects: models.Model, using: str = "default") -> int:
    """:func:`seal` for rows just inserted in this transaction (a bulk write of new records):
    they have no tag yet — keys are never given twice — so the tags are inserted as plain
    rows (``core.import_writes``) instead of upserted; a tag already there fails loudly."""
    groups: dict[str, list[int]] = defaultdict(list)
    for obj in objects:
        pm = protected(type(obj))
        if pm is None:
            raise ValueError(f"{type(obj).__name__} is not a protected model")
        groups[pm.label].append(int(obj.pk))
    tag_model = _tag_model()
    now = timezone.now()
    count = 0
    for label, pks in groups.items():
        pm = registry()[label]
        for chunk in _chunks(sorted(set(pks))):
            rows = (
                pm.model._base_manager.using(using)
                .filter(pk__in=chunk)
                .values_list("pk", *_attnames(pm))
            )
            count += insert_rows(
                tag_model,
                ["object_id", "macs"],
                ((pk, macs_of(pm, pk, values)) for pk, *values in rows),
                same={"model": pm.label, "updated_at": now},
            )
    return count


def seal_query(queryset: models.QuerySet[Any]) -> int:
    """(Re)write the tags of every row of ``queryset`` (bulk writes)."""
    pm = protected(queryset.model)
    if pm is None:
        raise ValueError(f"{queryset.model.__name__} is not a protected model")
    pks = list(queryset.values_list("pk", flat=True))
    return _seal_pks(pm, pks, using=queryset.db, tag_model=_tag_model())


def seal_missing(
    *,
    using: str = "default",
    get_model: Callable[[str], Any] | None = None,
    tag_model: type[models.Model] | None = None,
) -> dict[str, int]:
    """Tag every protected row that has no tag yet, or lacks a field's MAC (the first
    migration; after a field is added to a registry). Rows whose tag is complete are left
    alone, so that a tampered row is never blessed."""
    tags = tag_model or _tag_model()
    out: dict[str, int] = {}
    for spec in specs():
        pm = _resolve(spec, get_model or apps.get_model)
        if pm is None:
            continue
        names = {f.name for f in pm.fields}
        complete = {
            object_id
            for object_id, stored in tags._default_manager.using(using)
            .filter(model=pm.label)
            .values_list("object_id", "macs")
            if isinstance(stored, dict) and names <= set(stored)
        }
        pks = [
            pk
            for pk in pm.model._base_manager.using(using).values_list("pk", flat=True)
            if pk not in complete
        ]
        out[pm.label] = _seal_pks(pm, pks, using=using, tag_model=tags)
    return out


def drop_tag(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    """``post_delete`` receiver: a row deleted through the platform takes its tag along."""
    pm = protected(sender)
    if pm is not None:
        _tag_model()._default_manager.using(using).filter(
            model=pm.label, object_id=instance.pk
        ).delete()


def connect_signals() -> None:
    for pm in registry().values():
        post_delete.connect(drop_tag, sender=pm.model, dispatch_uid=f"integrity-{pm.label}")


# Checking --------------------------------------------------------------------------------------

CHANGED = "changed"
UNTAGGED = "untagged"
UNREADABLE = "unreadable"
ORPHAN = "orphan"


@dataclass(frozen=True)
class Version:
    history_id: int
    date: dt.datetime


@dataclass
class Finding:
    label: str
    title: str
    pk: int
    kind: str
    fields: tuple[str, ...] = ()
    field_labels: tuple[str, ...] = ()
    last_match: Version | None = None
    has_history: bool = False
    reverted_to: int | None = None

    def problem(self) -> str:
        if self.kind == CHANGED:
            return "与完整性校验码不符，可能被绕过系统直接修改"
        if self.kind == UNTAGGED:
            return "没有完整性校验码，可能未经系统写入或校验码被删除"
        if self.kind == UNREADABLE:
            return "无法读取，数据库中的值已被改成不合法的内容"
        return "已不存在但其完整性校验码仍在，可能被绕过系统直接删除"

    def message(self) -> str:
        names = "、".join(f"“{label}”" for label in self.field_labels)
        return f"{self.title} #{self.pk} " + (f"的{names}" if names else "") + self.problem()

    def recovery(self) -> str:
        if self.kind == ORPHAN:
            return "请从备份恢复该记录（yanzhen restore）"
        if self.last_match is not None:
            date = timezone.localtime(self.last_match.date).isoformat(timespec="seconds")
            return (
                f"最后相符的历史版本：#{self.last_match.history_id}（{date}），"
                "可用 yanzhen verify_integrity --revert 还原"
            )
        if self.has_history:
            return "历史中没有与校验码相符的版本，请从备份恢复"
        return "该类记录没有修改历史，请从备份恢复"

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.label,
            "title": self.title,
            "id": self.pk,
            "kind": self.kind,
            "fields": list(self.fields),
            "field_labels": list(self.field_labels),
            "message": self.message(),
            "last_match": None
            if self.last_match is None
            else {
                "history_id": self.last_match.history_id,
                "date": self.last_match.date.isoformat(),
            },
            "recovery": self.recovery(),
            "reverted_to": self.reverted_to,
        }


@dataclass
class Report:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _finding(pm: ProtectedModel, pk: int, kind: str, names: Sequence[str] = ()) -> Finding:
    return Finding(
        pm.label,
        pm.title,
        int(pk),
        kind,
        tuple(names),
        tuple(pm.field_label(n) for n in names),
        has_history=hasattr(pm.model, "history"),
    )


def _stored(label: str, pks: Sequence[int], using: str) -> dict[int, Any]:
    return dict(
        _tag_model()
        ._default_manager.using(using)
        .filter(model=label, object_id__in=pks)
        .values_list("object_id", "macs")
    )


def _check_rows(
    pm: ProtectedModel, rows: Iterable[Sequence[Any]], stored: dict[int, Any]
) -> list[Finding]:
    out = []
    for pk, *values in rows:
        if pk not in stored:
            out.append(_finding(pm, pk, UNTAGGED))
            continue
        changed = _differing(pm, pk, values, stored[pk])
        if changed:
            out.append(_finding(pm, pk, CHANGED, changed))
    return out


def _verify_model(pm: ProtectedModel, using: str, report: Report) -> None:
    manager = pm.model._base_manager.using(using)
    pks = list(manager.order_by("pk").values_list("pk", flat=True))
    tagged = set(
        _tag_model()
        ._default_manager.using(using)
        .filter(model=pm.label)
        .values_list("object_id", flat=True)
    )
    for orphan in sorted(tagged - set(pks)):
        report.findings.append(_finding(pm, orphan, ORPHAN))
    for chunk in _chunks(pks):
        stored = _stored(pm.label, chunk, using)
        try:
            rows = list(
                manager.filter(pk__in=chunk).order_by("pk").values_list("pk", *_attnames(pm))
            )
        except Exception:  # a value the database converters refuse: find it row by row
            rows = []
            for pk in chunk:
                try:
                    rows += list(manager.filter(pk=pk).values_list("pk", *_attnames(pm)))
                except Exception:
                    names = [f.name for f in pm.fields]
                    report.findings.append(_finding(pm, pk, UNREADABLE, names))
        report.findings.extend(_check_rows(pm, rows, stored))
        report.checked += len(chunk)


def verify(*, using: str = "default", labels: Sequence[str] = ()) -> Report:
    """Check every protected row of the database ``using`` against its tag."""
    report = Report()
    for label, pm in sorted(registry().items()):
        if labels and label not in labels:
            continue
        _verify_model(pm, using, report)
    for finding in report.findings:
        if finding.kind == CHANGED:
            finding.last_match = last_match(finding, using=using)
    return report


def check(objects: Iterable[models.Model]) -> list[Finding]:
    """Check records already loaded (a page's, an API answer's): one query for their tags."""
    by_label: dict[str, list[models.Model]] = defaultdict(list)
    for obj in objects:
        pm = protected(type(obj))
        if pm is not None and obj.pk is not None:
            by_label[pm.label].append(obj)
    if not by_label:
        return []
    query = Q()
    for label, objs in by_label.items():
        query |= Q(model=label, object_id__in=[o.pk for o in objs])
    stored: dict[tuple[str, int], Any] = {
        (label, object_id): macs
        for label, object_id, macs in _tag_model()
        ._default_manager.filter(query)
        .values_list("model", "object_id", "macs")
    }
    out: list[Finding] = []
    for label, objs in by_label.items():
        pm = registry()[label]
        rows = [[o.pk, *(f.value_from_object(o) for f in pm.fields)] for o in objs]
        out.extend(
            _check_rows(
                pm, rows, {pk: stored[(label, pk)] for pk, *_ in rows if (label, pk) in stored}
            )
        )
    return out


def log_findings(
    findings: Sequence[Finding], *, request: HttpRequest | None = None, source: str
) -> None:
    """One security-log row for what a read or a run found (ids and field names only)."""
    audit_trail().record(
        EventKind.INTEGRITY_FAILED,
        request=request,
        username="" if request is not None else "system",
        detail={
            "source": source,
            "count": len(findings),
            "records": [
                {"model": f.label, "id": f.pk, "kind": f.kind, "fields": list(f.fields)}
                for f in findings[:50]
            ],
        },
    )


def warning(finding: Finding) -> str:
    return (
        f"数据完整性校验失败：{finding.message()}。已记入安全日志，请联系安全管理员核查"
        "（yanzhen verify_integrity）。"
    )


def read_check(
    request: HttpRequest | None, objects: Iterable[models.Model], *, flash: bool = True
) -> list[str]:
    """Check what a page or an API answer is about to show; on a mismatch, the warnings
    (also flashed on the page when ``flash``) and one row in the security log."""
    findings = check(objects)
    if not findings:
        return []
    log_findings(findings, request=request, source=request.path if request is not None else "")
    texts = [warning(f) for f in findings]
    if flash and request is not None:
        for text in texts[:5]:
            messages.error(request, text)
        if len(texts) > 5:
            messages.error(request, f"另有 {len(texts) - 5} 条记录校验失败，详见安全日志。")
    return texts


# Recovery -------------------------------------------------------------------------------------


def last_match(finding: Finding, *, using: str = "default") -> Version | None:
    """The newest history version of the record whose values match its tag."""
    pm = registry()[finding.label]
    history = getattr(pm.model, "history", None)
    if history is None:
        return None
    stored = _stored(pm.label, [finding.pk], using).get(finding.pk)
    if not isinstance(stored, dict):
        return None
    versions = (
        history.model._default_manager.using(using)
        .filter(id=finding.pk)
        .order_by("-history_id")  # the order of the writes, whatever the clock said
    )
    for version in versions.iterator():
        values = [getattr(version, f.attname) for f in pm.fields]
        if not _differing(pm, finding.pk, values, stored):
            return Version(version.history_id, version.history_date)
    return None


def _generic_revert(
    *, actor: Any, instance: models.Model, version: models.Model, related: Any, reason: str
) -> models.Model:
    """Put back the protected fields of ``version`` (models whose app registers no reverter
    of its own), with a history row and a fresh tag. ``related`` (the version's relations) is
    left alone: protected fields are columns, never many-to-many relations."""
    pm = protected(type(instance))
    assert pm is not None
    for f in pm.fields:
        setattr(instance, f.attname, getattr(version, f.attname))
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(update_fields=[f.name for f in pm.fields])
    seal(instance)
    return instance


def revert(findings: Iterable[Finding]) -> list[Finding]:
    """Revert each changed record that has a matching version, through ``core/history.py``
    (the app's own reverter, which keeps its figures in step, or the generic one)."""
    for app in domain_apps():  # the apps' services register their reverters when imported
        app_module(app, "services")
    done = []
    for finding in findings:
        if finding.kind != CHANGED or finding.last_match is None:
            continue
        pm = registry()[finding.label]
        if history.reverter_of(pm.model) is None:
            history.register_reverter(pm.model, _generic_revert)
        version = pm.model.history.model._default_manager.get(  # type: ignore[attr-defined]
            history_id=finding.last_match.history_id
        )
        with transaction.atomic():
            # First the sealed values straight back, without a history row: the figures kept
            # beside the record (the ledger's tally) still count them, so the app's reverter
            # then sees no change to carry over, and records the revert and seals it.
            pm.model._base_manager.filter(pk=finding.pk).update(
                **{f.attname: getattr(version, f.attname) for f in pm.fields}
            )
            instance = pm.model._base_manager.select_for_update().get(pk=finding.pk)
            history.revert(actor=None, instance=instance, history_id=finding.last_match.history_id)
        finding.reverted_to = finding.last_match.history_id
        done.append(finding)
    return done
