"""National reference lists: universities, disciplines, industries, divisions; local industries."""

from __future__ import annotations

from django.db import models


class UniversityCategory(models.TextChoices):
    REGULAR = "regular", "普通高等学校"
    ADULT = "adult", "成人高等学校"
    FOREIGN = "foreign", "境外高校"
    INSTITUTE = "institute", "科研院所"


class University(models.Model):
    """A university or research institute (MoE 学校标识码 for Chinese schools)."""

    code = models.CharField("学校标识码", max_length=10, blank=True)
    name = models.CharField("学校名称", max_length=100, unique=True)
    english_name = models.CharField("英文名称", max_length=200, blank=True)
    category = models.CharField(
        "类别",
        max_length=20,
        choices=UniversityCategory.choices,
        default=UniversityCategory.REGULAR,
    )
    country = models.CharField("国家（地区）", max_length=50, default="中国")
    province = models.CharField("省份", max_length=20, blank=True)
    city = models.CharField("所在地", max_length=50, blank=True)
    authority = models.CharField("主管部门", max_length=50, blank=True)
    level = models.CharField("办学层次", max_length=10, blank=True)
    remark = models.CharField("备注", max_length=50, blank=True)
    is_985 = models.BooleanField("985", default=False)
    is_211 = models.BooleanField("211", default=False)
    is_dfc = models.BooleanField("双一流", default=False)
    pinyin = models.CharField("拼音", max_length=300, blank=True, db_index=True)
    initials = models.CharField("拼音首字母", max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = "高校"
        verbose_name_plural = "高校"
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="university_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def flags(self) -> list[str]:
        return [
            label
            for label, on in (("985", self.is_985), ("211", self.is_211), ("双一流", self.is_dfc))
            if on
        ]


class UniversityAlias(models.Model):
    """Another name of a university: an abbreviation (西交大), a former name, a common name.

    The same alias may belong to two universities (山大: 山东大学 and 山西大学); resolution then
    reports it as ambiguous instead of guessing.
    """

    university = models.ForeignKey(University, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField("别名", max_length=100, db_index=True)

    class Meta:
        verbose_name = "高校别名"
        verbose_name_plural = "高校别名"
        constraints = [
            models.UniqueConstraint(fields=["university", "alias"], name="alias_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.university.name}"


class Discipline(models.Model):
    """A category (学科门类, 2 digits) or first-level discipline (一级学科, 4 digits), 2022 list."""

    code = models.CharField("代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="门类",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta:
        verbose_name = "学科"
        verbose_name_plural = "学科"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DfcDiscipline(models.Model):
    """A 双一流 construction discipline of a university (round 2022 or 2017)."""

    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="dfc_disciplines"
    )
    discipline = models.ForeignKey(
        Discipline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discipline_name = models.CharField("学科名称", max_length=50, blank=True)
    round = models.PositiveSmallIntegerField("轮次（年）")
    note = models.CharField("备注", max_length=100, blank=True)

    class Meta:
        verbose_name = "双一流建设学科"
        verbose_name_plural = "双一流建设学科"
        constraints = [
            models.UniqueConstraint(
                fields=["university", "round", "discipline_name"], name="dfc_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.discipline_name or self.note}（{self.round}）"


class Grade(models.TextChoices):
    A_PLUS = "A+", "A+"
    A = "A", "A"
    A_MINUS = "A-", "A-"
    B_PLUS = "B+", "B+"
    B = "B", "B"
    B_MINUS = "B-", "B-"
    C_PLUS = "C+", "C+"
    C = "C", "C"
    C_MINUS = "C-", "C-"


class DisciplineEvaluation(models.Model):
    """A grade of the 4th round discipline evaluation (学位中心, 2017)."""

    university = models.ForeignKey(
        University, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    school_name = models.CharField("参评单位", max_length=100)
    discipline = models.ForeignKey(
        Discipline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discipline_code = models.CharField("学科代码", max_length=6)
    discipline_name = models.CharField("学科名称", max_length=50)
    grade = models.CharField("评估结果", max_length=2, choices=Grade.choices)
    round = models.PositiveSmallIntegerField("轮次", default=4)

    class Meta:
        verbose_name = "学科评估结果"
        verbose_name_plural = "学科评估结果"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "school_name", "discipline_code"], name="evaluation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_name} {self.discipline_code} {self.discipline_name} {self.grade}"


class IndustryLevel(models.TextChoices):
    SECTION = "section", "门类"
    DIVISION = "division", "大类"
    GROUP = "group", "中类"
    CLASS = "class", "小类"


class Industry(models.Model):
    """GB/T 4754-2017 国民经济行业分类."""

    code = models.CharField("代码", max_length=5, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=IndustryLevel.choices)
    section = models.CharField("门类", max_length=1)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "国民经济行业"
        verbose_name_plural = "国民经济行业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LocalIndustryGroup(models.TextChoices):
    LEADING = "leading", "工业“六强五新”"
    AGRICULTURE = "agriculture", "农产品加工集群"
    CULTURE = "culture", "文化旅游"


class LocalIndustry(models.Model):
    """The county's own classification of its industries, mapped to GB/T 4754 codes."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    group = models.CharField("类别", max_length=20, choices=LocalIndustryGroup.choices)
    sort_order = models.IntegerField("排序", default=0)
    industries = models.ManyToManyField(
        Industry, verbose_name="对应国民经济行业", blank=True, related_name="local_industries"
    )

    class Meta:
        verbose_name = "本地产业"
        verbose_name_plural = "本地产业"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """An administrative division (民政部 list), province down to township."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级")
    parent_code = models.CharField("上级代码", max_length=12, blank=True, db_index=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UndergraduateMajor(models.Model):
    """A major of 《普通高等学校本科专业目录》 (2026): its class (专业类) and category (门类).

    The code keeps the catalogue's suffix: T 特设专业, K 国家控制布点专业 (e.g. 030101K).
    """

    code = models.CharField("专业代码", max_length=10, unique=True)
    name = models.CharField("专业名称", max_length=50)
    class_code = models.CharField("专业类代码", max_length=4)
    class_name = models.CharField("专业类", max_length=50)
    category_code = models.CharField("门类代码", max_length=2)
    category_name = models.CharField("门类", max_length=20)
    is_special = models.BooleanField("特设专业", default=False)
    is_controlled = models.BooleanField("国家控制布点专业", default=False)
    catalogue_year = models.PositiveSmallIntegerField("目录年份")

    class Meta:
        verbose_name = "本科专业"
        verbose_name_plural = "本科专业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
