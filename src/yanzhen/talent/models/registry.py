"""The talent registry: who came, of which type and degree, from where, to which employer;
flexible introductions with their service agreements and workload."""

from __future__ import annotations

import datetime as dt

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Degree, Person, Unit
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models.common import RECRUITMENT_CHANNELS, Channel, TalentType
from yanzhen.talent.models.recruitment import Campaign


class Talent(Audited):
    """A talent in the registry. Personal fields live on ``core.Person``."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="talents"
    )
    talent_type = models.CharField("人才类型", max_length=20, choices=TalentType.choices)
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    university = optional_fk(
        University, "来源高校", on_delete=models.PROTECT, related_name="talents"
    )
    discipline = optional_fk(Discipline, "学科", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        Unit, verbose_name="用人（接收）单位", on_delete=models.PROTECT, related_name="talents"
    )
    channel = models.CharField("引进渠道", max_length=20, choices=Channel.choices)
    campaign = optional_fk(Campaign, "招聘活动", on_delete=models.SET_NULL, related_name="talents")
    start_date = models.DateField("到岗日期")
    end_date = models.DateField("离岗日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    # A seconded cadre (挂职干部) is in the registry as a link to the one record of the
    # secondment (``cooperation.Secondment``): its person, host unit, university, dates and
    # post are the secondment's, written by the secondment's services only (see
    # ``services.registry.secondment_follow``).
    secondment = models.OneToOneField(
        "cooperation.Secondment",
        verbose_name="挂职交流记录",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="talent",
    )

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "人才"
        verbose_name_plural = "人才"
        ordering = ["-start_date", "-id"]
        permissions = [("export_talent", "可以导出人才数据")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "talent_type", "start_date"], name="talent_unique_record"
            ),
            models.CheckConstraint(
                condition=models.Q(talent_type=TalentType.SECONDED, secondment__isnull=False)
                | (~models.Q(talent_type=TalentType.SECONDED) & models.Q(secondment__isnull=True)),
                name="talent_seconded_is_a_secondment",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "start_date"]),
            models.Index(fields=["talent_type", "start_date"]),
            models.Index(fields=["employer", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_talent_type_display()}）"

    @property
    def recruited(self) -> bool:
        return self.channel in RECRUITMENT_CHANNELS

    def on_post(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class ServiceAgreement(Audited):
    """The service agreement of a flexibly introduced expert or project team member."""

    talent = models.ForeignKey(
        Talent, verbose_name="人才", on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField("协议名称", max_length=100)
    signed_on = models.DateField("签订日期")
    start_date = models.DateField("服务开始")
    end_date = models.DateField("服务结束")
    days_per_year = models.DecimalField("约定服务天数（天/年）", max_digits=6, decimal_places=1)
    remuneration = models.DecimalField(
        "报酬（万元/年）", max_digits=10, decimal_places=2, default=0
    )
    content = models.TextField("服务内容", blank=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "柔性引才服务协议"
        verbose_name_plural = "柔性引才服务协议"
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.title


class WorkloadEntry(Audited):
    """Days an expert actually served under an agreement."""

    agreement = models.ForeignKey(
        ServiceAgreement, verbose_name="服务协议", on_delete=models.CASCADE, related_name="workload"
    )
    date = models.DateField("服务日期")
    days = models.DecimalField("天数", max_digits=5, decimal_places=1)
    content = models.CharField("服务内容", max_length=200)

    class Meta:
        verbose_name = "服务工作量"
        verbose_name_plural = "服务工作量"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.days}天"
