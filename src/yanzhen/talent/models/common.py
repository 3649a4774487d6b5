"""Choices shared by the talent work's models, and where the files of a delivery go (the
migrations of the talent app, where deliveries began, name it)."""

from __future__ import annotations

from typing import Any

from django.db import models


def delivery_evidence_path(instance: Any, filename: str) -> str:
    """A delivery's evidence, under ``talent/deliveries/<entitlement>/`` (``benefits.Delivery``)."""
    return f"talent/deliveries/{instance.entitlement_id}/{filename}"


class TalentType(models.TextChoices):
    FULL_TIME = "full_time", "全职引进人才"
    FLEXIBLE = "flexible", "柔性引进专家"
    PROJECT_TEAM = "project_team", "项目团队成员"
    SELECTED_GRADUATE = "selected_graduate", "选调生"
    MEDICAL_GRADUATE = "medical_graduate", "医学毕业生"
    INTERN = "intern", "实习实训学生"
    SECONDED = "seconded", "挂职干部"


class Channel(models.TextChoices):
    """How a talent came: the three recruitment channels of the case, and the others."""

    OPEN = "open", "公开招聘"
    FLEXIBLE = "flexible", "柔性引才"
    CAMPUS = "campus", "校园招聘"
    SELECTION = "selection", "选调"
    PLACEMENT = "placement", "实习实训"
    SECONDMENT = "secondment", "挂职交流"
    OTHER = "other", "其他"


RECRUITMENT_CHANNELS: tuple[str, ...] = (Channel.OPEN, Channel.FLEXIBLE, Channel.CAMPUS)
RECRUITMENT_CHANNEL_CHOICES = [(c, Channel(c).label) for c in RECRUITMENT_CHANNELS]
HOSTED_TYPES: tuple[str, ...] = (TalentType.INTERN, TalentType.SECONDED)
