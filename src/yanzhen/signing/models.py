"""云签约: the platform's CA and timestamp authority, the organisations' signing certificates,
agreements with their versions and parties, and live signing ceremonies."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from yanzhen.core.fields import optional_fk
from yanzhen.core.models import Audited, Unit, User


class Authority(models.Model):
    """The platform's root CA and TSA: one row per deployment, created once
    (``signing.authority.authority``). The private keys are sealed with the platform's field
    key (``core.crypto``); the database alone never yields them."""

    name = models.CharField("名称", max_length=100)
    certificate = models.TextField("根证书（PEM）")
    key = models.TextField("根私钥（加密）")
    tsa_certificate = models.TextField("时间戳证书（PEM）")
    tsa_key = models.TextField("时间戳私钥（加密）")
    crl = models.BinaryField("证书吊销列表（DER）")
    crl_number = models.PositiveIntegerField("吊销列表序号", default=1)
    crl_updated_at = models.DateTimeField("吊销列表更新时间", default=timezone.now)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "平台证书机构"
        verbose_name_plural = "平台证书机构"

    def __str__(self) -> str:
        return self.name


class OrganisationCertificate(Audited):
    """An organisation's signing certificate, issued by the platform CA on demand."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="signing_certificates"
    )
    serial = models.CharField("序列号", max_length=40, unique=True)
    certificate = models.TextField("证书（PEM）")
    key = models.TextField("私钥（加密）")
    not_before = models.DateTimeField("生效时间")
    not_after = models.DateTimeField("失效时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revocation_reason = models.CharField("吊销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "单位签名证书"
        verbose_name_plural = "单位签名证书"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.serial}"


def _seal_path(instance: Seal, filename: str) -> str:
    return f"signing/seals/{instance.unit_id}.png"


class Seal(Audited):
    """An organisation's 电子印章 image (PNG); without one a seal is drawn from its name."""

    unit = models.OneToOneField(Unit, verbose_name="单位", on_delete=models.CASCADE)
    image = models.FileField("印章图片", upload_to=_seal_path)

    class Meta:
        verbose_name = "电子印章"
        verbose_name_plural = "电子印章"

    def __str__(self) -> str:
        return str(self.unit)


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", "框架协议"
    PROJECT = "project", "项目协议"
    PERSONNEL = "personnel", "人才协议"


class AgreementState(models.TextChoices):
    DRAFT = "draft", "起草中"
    SIGNING = "signing", "签署中"
    SIGNED = "signed", "已签署"


class Ceremony(Audited):
    """集中云签约: several agreements signed in one live event."""

    title = models.CharField("活动名称", max_length=200)
    owner_unit = models.ForeignKey(Unit, verbose_name="主办单位", on_delete=models.PROTECT)
    held_on = models.DateField("活动日期")

    class Meta:
        verbose_name = "集中云签约"
        verbose_name_plural = "集中云签约"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


def _pdf_path(instance: Agreement, filename: str) -> str:
    return f"signing/agreements/{instance.pk}/{filename}"


class Agreement(Audited):
    """A cooperation's agreement: drafted in versions, rendered to PDF, signed by each party."""

    code = models.CharField("协议编号", max_length=30, unique=True)
    cooperation = models.ForeignKey(
        "cooperation.Cooperation",
        verbose_name="所属合作",
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    kind = models.CharField("协议类型", max_length=20, choices=AgreementKind.choices)
    title = models.CharField("协议名称", max_length=200)
    state = models.CharField(
        "状态", max_length=20, choices=AgreementState.choices, default=AgreementState.DRAFT
    )
    starts_on = models.DateField("起始日期")
    expires_on = models.DateField("到期日期")
    ceremony = optional_fk(
        Ceremony, "集中云签约", on_delete=models.SET_NULL, related_name="agreements"
    )
    pdf = models.FileField("协议PDF", upload_to=_pdf_path, blank=True)
    pdf_sha256 = models.CharField("PDF摘要", max_length=64, blank=True)
    signed_at = models.DateTimeField("签署完成时间", null=True, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name="续签自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )

    class Meta:
        verbose_name = "协议"
        verbose_name_plural = "协议"
        ordering = ["-id"]
        permissions = [("sign_agreement", "签署协议"), ("export_agreement", "导出协议台账")]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    content = models.TextField("协议正文")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    created_by = optional_fk(User, "创建人", on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "协议版本"
        verbose_name_plural = "协议版本"
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} 第{self.number}版"


class AgreementParty(models.Model):
    """A party of an agreement, with the user authorised to sign for it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField("顺序")
    unit = models.ForeignKey(Unit, verbose_name="签约单位", on_delete=models.PROTECT)
    signer = models.ForeignKey(
        "core.User", verbose_name="授权签署人", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    certificate = optional_fk(OrganisationCertificate, "签名证书", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "签约方"
        verbose_name_plural = "签约方"
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "unit"], name="agreement_party_once")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.unit}"

    @property
    def label(self) -> str:
        return (
            "甲乙丙丁戊己庚辛"[self.position] + "方"
            if self.position < 8
            else f"第{self.position + 1}方"
        )

    @property
    def field_name(self) -> str:
        return f"party{self.position + 1}"


class Obligation(models.Model):
    """An obligation of an agreement: which party does what by when. When every party has
    signed, it becomes a milestone of the cooperation's base's work plan (supervision),
    once; the milestone then says whether it is done or overdue."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    unit = models.ForeignKey(
        Unit, verbose_name="责任方", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("义务内容", max_length=150)
    due_date = models.DateField("完成时限")
    deliverable = models.CharField("预期成果", max_length=200, blank=True)
    milestone = models.OneToOneField(
        "supervision.Milestone",
        verbose_name="督办节点任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obligation",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "协议义务"
        verbose_name_plural = "协议义务"
        ordering = ["agreement", "due_date", "id"]

    def __str__(self) -> str:
        return self.title
