"""Organisational units, people, users and roles (with their data scope)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.contrib.auth.models import AbstractUser, Permission
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from yanzhen.core.crypto import BlindIndexField, EncryptedCharField
from yanzhen.core.errors import DomainError
from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.trail import conflict_noted
from yanzhen.engines import idcard


def check_version(instance: Versioned, expected: int | None) -> None:
    """Refuse an edit made on an older version of the record (then count this edit)."""
    if expected is not None and expected != instance.version:
        conflict_noted(
            {
                "model": instance._meta.label_lower,
                "id": instance.pk,
                "expected": expected,
                "current": instance.version,
            }
        )
        raise DomainError(
            "conflict",
            "该记录已被他人修改：请刷新页面，核对最新内容后再保存",
            {"version": "记录已被他人修改"},
            status=409,
        )
    instance.version += 1


class Audited(models.Model):
    """Who created and last changed a record, and when."""

    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        "core.User",
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        "core.User",
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


_M = TypeVar("_M", bound=models.Model)


class AliveManager(models.Manager[_M]):
    """The default manager of soft-deletable records: deleted rows are not there."""

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeletable(models.Model):
    """A business record that is deleted softly: it vanishes from lists, search, API and
    exports, an authorised role can restore it, and ``yanzhen purge_deleted`` removes it after
    the retention period."""

    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects: ClassVar[AliveManager[Any]] = (
        AliveManager()
    )  # the default manager: deleted rows are left out
    all_objects: ClassVar[models.Manager[Any]] = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


class Versioned(models.Model):
    """Optimistic concurrency: every save of an edit raises the version; an edit made on an
    older version is refused (409) instead of silently overwriting the other one."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


class UnitKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "地级市"
    COUNTY = "county", "县（市、区）"
    DEPARTMENT = "department", "部门"
    TOWN = "town", "镇"
    STREET = "street", "街道"
    VILLAGE = "village", "村（社区）"
    ZONE = "zone", "开发区"
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    HOSPITAL = "hospital", "医院"
    CHAMBER = "chamber", "商会"
    OTHER = "other", "其他"


# The tiers of vertical coverage (city, departments and towns, villages) and the kinds in each.
class Tier(models.TextChoices):
    CITY = "city", "市级"
    TOWN = "town", "部门和镇（街道）"
    VILLAGE = "village", "村（社区）"


TIER_KINDS: dict[str, tuple[str, ...]] = {
    Tier.CITY: (UnitKind.COUNTY,),
    Tier.TOWN: (UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE),
    Tier.VILLAGE: (UnitKind.VILLAGE,),
}
LOCAL_PARTY_KINDS = (
    UnitKind.COUNTY,
    UnitKind.DEPARTMENT,
    UnitKind.TOWN,
    UnitKind.STREET,
    UnitKind.VILLAGE,
    UnitKind.ZONE,
    UnitKind.ENTERPRISE,
    UnitKind.HOSPITAL,
    UnitKind.CHAMBER,
    UnitKind.OTHER,
)


class Unit(Versioned, Audited):
    """An organisational unit: a node of the tree province → … → village, or an organisation."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        "单位代码", max_length=30, blank=True, help_text="统一社会信用代码或行政区划代码"
    )
    university = models.ForeignKey(
        "reference.University",
        verbose_name="对应高校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    local_industry = models.ForeignKey(
        "reference.LocalIndustry",
        verbose_name="本地产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    industry = models.ForeignKey(
        "reference.Industry",
        verbose_name="国民经济行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_leading = models.BooleanField("龙头企业", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)
    initials = models.CharField("拼音首字母", max_length=100, blank=True, editable=False)
    # Non-dropped cooperations this unit is a party to (kept by the cooperation services;
    # coverage reads it). Rebuilt by ``yanzhen recount_ledger``.
    cooperation_count = models.IntegerField("合作数", default=0, editable=False)

    history = audited_history(
        excluded_fields=["cooperation_count", "initials", "updated_at", "version"]
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unit_unique_code"
            ),
        ]
        indexes = [
            # The order units are listed and offered in (the first page of 280,000 units, or
            # of a form's choices, is an index scan rather than a sort of them all).
            models.Index(fields=["sort_order", "id"], name="unit_order_idx"),
            models.Index(fields=["kind", "is_leading"]),
            models.Index(fields=["local_industry", "is_leading"]),
            # Coverage (the dashboard): one grouped count of all units reads this index alone…
            models.Index(
                fields=["kind", "is_active", "is_leading", "local_industry", "cooperation_count"]
            ),
            # … and the first uncovered units of a tier or an industry are index seeks, in the
            # order they are shown (booleans last: SQLite compares them as bare columns).
            models.Index(fields=["kind", "cooperation_count", "sort_order", "id", "is_active"]),
            models.Index(
                fields=[
                    "kind",
                    "local_industry",
                    "cooperation_count",
                    "sort_order",
                    "id",
                    "is_leading",
                ]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class UnitClosure(models.Model):
    """Every (ancestor, descendant) pair of the unit tree, a unit being its own ancestor."""

    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="closure_unique_pair")
        ]
        indexes = [models.Index(fields=["descendant", "depth"])]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} ({self.depth})"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Degree(models.TextChoices):
    DOCTOR = "doctor", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "学士"
    ASSOCIATE = "associate", "大专"
    OTHER = "other", "其他"


def validate_id_number(value: str) -> None:
    problem = idcard.check_id_number(value, today=timezone.localdate())
    if problem:
        raise ValidationError(problem, code="id_number")


def validate_mobile(value: str) -> None:
    problem = idcard.check_mobile(value)
    if problem:
        raise ValidationError(problem, code="mobile")


class Person(SoftDeletable, Versioned, Audited):
    """A person the platform knows: a leader, a task-force member, an expert, a talent."""

    objects: ClassVar[AliveManager[Person]]
    all_objects: ClassVar[models.Manager[Person]]

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    # Encrypted at rest (core/crypto.py); searched — and the ID number kept unique — through
    # their keyed hashes (blind indexes), never through the values.
    id_number = EncryptedCharField("身份证号", blank=True, validators=[validate_id_number])
    id_number_hash = BlindIndexField(source="id_number")
    mobile = EncryptedCharField("手机号", blank=True, validators=[validate_mobile])
    mobile_hash = BlindIndexField(source="mobile")
    # Filed by a unit with an ID number already registered outside its data scope: kept apart
    # from that record (the unit is told nothing) until the office merges them or keeps both.
    id_duplicate = models.BooleanField("身份证号与他人重复", default=False, editable=False)
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    discipline = models.ForeignKey(
        "reference.Discipline",
        verbose_name="学科",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people"
    )
    title = models.CharField("职称", max_length=50, blank=True)
    position = models.CharField("职务", max_length=100, blank=True)

    history = audited_history(
        excluded_fields=["updated_at", "version", "mobile_hash", "id_duplicate"]
    )

    class Meta(SoftDeletable.Meta):
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["id"]
        permissions = [
            ("view_personal_data", "可以查看完整身份证号和手机号"),
            ("resolve_duplicate_person", "可以处理身份证号重复的人员（合并或保留）"),
            # The second person of G25: approves another user's request to see full values.
            ("approve_personal_data", "可以批准查看完整个人信息"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash="")
                & models.Q(deleted_at__isnull=True)
                & models.Q(id_duplicate=False),
                name="person_unique_id_hash",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The blind indexes are computed by their fields; a partial save names them too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {f"{name}_hash" for name in ("id_number", "mobile") if name in update_fields}
            if extra:
                kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.id_number = idcard.normalize_id_number(self.id_number)
        if self.id_number and not idcard.check_id_number(self.id_number):
            expected = idcard.gender_code(self.id_number)
            if self.gender and self.gender != expected:
                raise ValidationError({"gender": "性别与身份证号不一致"})
            self.gender = self.gender or expected


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "待处理"
    MERGED = "merged", "已合并"
    KEPT = "kept", "保留两条"


class PersonDuplicate(Audited):
    """Two people with the same ID number: ``person`` was filed by a unit that cannot see
    ``existing`` (registered before, elsewhere). The unit was answered as for a new number;
    the office merges the two or keeps both."""

    # A pair goes with either person when it is purged for good (yanzhen purge_deleted).
    person = models.ForeignKey(
        Person, verbose_name="新登记人员", on_delete=models.CASCADE, related_name="+"
    )
    existing = models.ForeignKey(
        Person, verbose_name="已登记人员", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
        db_index=True,
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        "core.User",
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("处理说明", max_length=200, blank=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "重复登记人员"
        verbose_name_plural = "重复登记人员"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "existing"], name="duplicate_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} / {self.existing.name}"


class DataScope(models.TextChoices):
    """RuoYi's data scopes."""

    ALL = "all", "全部数据"
    # The county (县级单位) the user's unit is in, and everything below it: a county office's
    # own county, however deep its unit sits.
    COUNTY = "county", "本县（市、区）及以下"
    UNIT_AND_BELOW = "unit_and_below", "本单位及以下"
    UNIT = "unit", "仅本单位"
    SELF = "self", "仅本人"
    CUSTOM = "custom", "自定义单位"


class RoleKind(models.TextChoices):
    """三员分立: the three administrator roles are kept apart from business roles and from
    each other (one person holds at most one of them)."""

    BUSINESS = "business", "业务角色"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"


ADMIN_KINDS = (RoleKind.SYSTEM_ADMIN, RoleKind.SECURITY_ADMIN, RoleKind.AUDITOR)


class Role(Audited):
    code = models.SlugField("角色代码", max_length=50, unique=True)
    kind = models.CharField(
        "角色类别", max_length=20, choices=RoleKind.choices, default=RoleKind.BUSINESS
    )
    requires_otp = models.BooleanField("须双因素认证", default=False)
    password_max_age_days = models.PositiveIntegerField(
        "密码最长使用天数",
        null=True,
        blank=True,
        help_text="留空表示不限；领导和管理员角色默认90天",
    )
    name = models.CharField("角色名称", max_length=50)
    data_scope = models.CharField(
        "数据范围", max_length=20, choices=DataScope.choices, default=DataScope.UNIT
    )
    custom_units = models.ManyToManyField(
        Unit, verbose_name="自定义单位", blank=True, related_name="+"
    )
    permissions = models.ManyToManyField(
        Permission, verbose_name="权限", blank=True, related_name="roles", related_query_name="role"
    )
    description = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    # Delegated administration: a role of a county is defined there and assignable only
    # there; a role without one is the province's, inherited by every county (editable only by
    # the province's administrators).
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属县（市、区）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="county_roles",
        help_text="留空为省级角色，各县（市、区）继承",
    )

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login: belongs to one unit and holds roles."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    unit = optional_fk(Unit, "所属单位", on_delete=models.PROTECT, related_name="users")
    person = optional_fk(Person, "对应人员", on_delete=models.SET_NULL)
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    history = audited_history(excluded_fields=["password", "last_login", "password_changed_at"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class IntegrityTag(models.Model):
    """The keyed MACs of one protected record's figures (``core/integrity.py``): one per field,
    so that a check names the changed field. The key never lives in the database."""

    model = models.CharField("记录类型", max_length=60)
    object_id = models.BigIntegerField("记录编号")
    macs = models.JSONField("校验码", default=dict)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "完整性校验码"
        verbose_name_plural = "完整性校验码"
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="integrity_tag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}"


class RequestState(models.TextChoices):
    """The states of an approval request (``core.workflow``)."""

    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "已拒绝"
    RETURNED = "returned", "已退回"


class ApprovalRequest(models.Model):
    """A request that a second person must approve before it takes effect (``core.workflow``):
    what (``kind``), on which record (``target``), asked by whom and why, decided by whom,
    when and with which note. ``payload`` holds what the kind needs to apply it, never a
    secret in clear (a password only as its hash)."""

    kind = models.CharField("申请类型", max_length=50)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.PositiveBigIntegerField("对象编号")
    target_label = models.CharField("对象", max_length=150)
    unit = optional_fk(Unit, "所属单位", on_delete=models.SET_NULL, related_name="+")
    requester = models.ForeignKey(
        User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    approver = optional_fk(User, "审批人", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "状态",
        max_length=20,
        choices=RequestState.choices,
        default=RequestState.REQUESTED,
        db_index=True,
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    reason = models.CharField("申请理由", max_length=200)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    payload = models.JSONField("申请内容", default=dict, blank=True)
    # The review workflow (``core.workflow.Flow``): who submitted it upward, who decides, by
    # when, what the inbox shows, and the reviewer's comments per field of a returned record.
    submitted_unit = optional_fk(Unit, "报送单位", on_delete=models.SET_NULL, related_name="+")
    reviewer_unit = optional_fk(Unit, "审核单位", on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField("审核期限", null=True, blank=True)
    title = models.CharField("事项", max_length=200, blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    field_comments = models.JSONField("逐项意见", default=dict, blank=True)

    class Meta:
        verbose_name = "审批申请"
        verbose_name_plural = "审批申请"
        ordering = ["-requested_at", "-id"]
        permissions = [("decide_approvalrequest", "可以审批申请")]
        indexes = [models.Index(fields=["reviewer_unit", "state", "kind"])]
        constraints = [
            # At most one open request per kind and record (two clicks make one request).
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id"],
                condition=models.Q(state="requested"),
                name="approval_one_open_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_label} ({self.get_state_display()})"


class ReviewerChoice(models.TextChoices):
    OFFICE = "office", "县合作办审核"
    LEAD_DEPARTMENT = "lead_department", "基地牵头部门审核（无基地的由县合作办审核）"


def default_stage_rules() -> dict[str, dict[str, object]]:
    """The default 统计口径: what counts as each stage, and whether it needs evidence."""
    return {
        "intention": {"text": "双方有明确合作意向，已登记对接情况", "evidence": False},
        "agreement": {"text": "已签订合作协议（佐证：签署的协议）", "evidence": True},
        "landed": {
            "text": "项目已实施（佐证：合同、验收记录或现场照片）",
            "evidence": True,
        },
    }


class CodeFormat(models.TextChoices):
    """How the codes of a county's new cooperations are made (codes given stay as they are:
    they are in links and exports)."""

    DIVISION = "division", "HZ + 行政区划代码 + 年份 + 6位序号（如 HZ1408812026000001）"
    PLAIN = "plain", "HZ + 年份 + 6位序号（如 HZ2026000001）"


def default_industry_groups() -> list[dict[str, object]]:
    """A new county's local industries: none chosen yet (the office picks them)."""
    return []


class CountySettings(Versioned, Audited):
    """The settings of one county (县级单位): its office (省校合作办), who reviews what the
    lower units report, its stage definitions (统计口径), its local industries in their
    groups, the sender of its e-mail, the province its recommendations prefer and the format
    of its cooperations' codes."""

    county = models.OneToOneField(
        Unit, verbose_name="县（市、区）", on_delete=models.CASCADE, related_name="county_settings"
    )
    office = optional_fk(Unit, "省校合作办", on_delete=models.PROTECT, related_name="+")
    reviewer = models.CharField(
        "下级单位合作的审核",
        max_length=20,
        choices=ReviewerChoice.choices,
        default=ReviewerChoice.OFFICE,
    )
    stage_rules = models.JSONField("统计口径", default=default_stage_rules)
    appeal_days = models.PositiveSmallIntegerField(
        "考核申诉期（天）",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="考核结果发布后，被考核单位可对人工评分提出申诉的天数",
    )
    # [{"name": "工业“六强五新”", "industries": ["YJ-L01", …]}, …] in display order; empty:
    # every local industry of the catalogue, in the catalogue's groups.
    industry_groups = models.JSONField(
        "本地产业及分组", default=default_industry_groups, blank=True
    )
    email_sender = models.EmailField("邮件发件人", blank=True, help_text="留空则用平台的发件地址")
    home_province = models.CharField(
        "本省", max_length=20, default="山西省", help_text="推荐高校时优先本省"
    )
    code_format = models.CharField(
        "合作编号格式", max_length=10, choices=CodeFormat.choices, default=CodeFormat.DIVISION
    )

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "县级设置"
        verbose_name_plural = "县级设置"

    def __str__(self) -> str:
        return f"{self.county}设置"


class ImportBatch(models.Model):
    """One committed import (``core.importing``): what it created and updated, so that it can
    be undone as a whole within ``UNDO_DAYS`` days."""

    register = models.CharField("登记簿", max_length=40, db_index=True)
    created_by = models.ForeignKey(
        User, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", default=timezone.now)
    sha256 = models.CharField("文件摘要", max_length=64)
    rows = models.IntegerField("记录行数", default=0)
    created = models.IntegerField("新增", default=0)
    updated = models.IntegerField("更新", default=0)
    unchanged = models.IntegerField("未变", default=0)
    left_out = models.IntegerField("未导入的错误行", default=0)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        User, verbose_name="撤销人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.register} {self.created_at:%Y-%m-%d %H:%M}"


class ImportAction(models.TextChoices):
    CREATED = "created", "新增"
    UPDATED = "updated", "更新"


class ImportBatchItem(models.Model):
    """A record an import batch created, or updated (with the version it had before)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    object_id = models.BigIntegerField("记录")
    action = models.CharField("操作", max_length=10, choices=ImportAction.choices)
    history_id = models.BigIntegerField("更新前的版本", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次记录"
        verbose_name_plural = "导入批次记录"

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.action}:{self.object_id}"


class ImportMapping(models.Model):
    """A column mapping saved by name (source header → field, ``""`` to ignore a column), for
    the next file of the same shape."""

    register = models.CharField("登记簿", max_length=40)
    name = models.CharField("名称", max_length=60)
    mapping = models.JSONField("列对应", default=dict)
    created_by = models.ForeignKey(
        User, verbose_name="保存人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("保存时间", default=timezone.now)

    class Meta:
        verbose_name = "导入列对应"
        verbose_name_plural = "导入列对应"
        ordering = ["register", "name"]
        constraints = [
            models.UniqueConstraint(fields=["register", "name"], name="import_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.register}:{self.name}"


class ImportJobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"
    FAILED = "failed", "失败"


class ImportJob(models.Model):
    """A large file's preview or commit run by the background worker (``core.import_jobs``)."""

    register = models.CharField("登记簿", max_length=40)
    page = models.CharField("导入页面", max_length=60)
    created_by = models.ForeignKey(User, verbose_name="导入人", on_delete=models.CASCADE)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    token = models.CharField("预览文件", max_length=32)
    filename = models.CharField("文件名", max_length=255)
    options = models.JSONField("选项", default=dict)  # sheet, mapping, fixed, commit, skip
    rows = models.IntegerField("记录行数", default=0)
    state = models.CharField(
        "状态", max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    task_id = models.CharField("任务", max_length=64, blank=True)
    reason = models.TextField("失败原因", blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台导入"
        verbose_name_plural = "后台导入"

    def __str__(self) -> str:
        return f"{self.register}:{self.pk}:{self.state}"


# The background exports' record, in a module of its own (this one is at its length limit).
from yanzhen.core.export_models import ExportJob as ExportJob  # noqa: E402
from yanzhen.core.export_models import ExportJobState as ExportJobState  # noqa: E402
