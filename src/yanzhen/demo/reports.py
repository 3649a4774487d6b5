"""The demo's reports: the permissions of the year at a glance and of briefings (the second
member of the office who reviews what the first drafts is a login of ``yongji.USERS``), and the
county's targets for 2021.

Idempotent: the targets are added once."""

from __future__ import annotations

import datetime as dt

from yanzhen.core.models import Unit
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.reports.briefings import BriefingData, briefing_create
from yanzhen.reports.models import AnnualTarget, TargetKind

BRIEFING = [
    *(f"reports.{a}_briefing" for a in ("view", "add", "change")),
    *(f"reports.{a}_briefingtemplate" for a in ("view", "add", "change")),
    "reports.review_briefing",
]
TARGETS = [f"reports.{a}_annualtarget" for a in ("view", "add", "change", "delete")]
PERMISSIONS: dict[str, list[str]] = {
    "office": [*TARGETS, *BRIEFING],
    # The leader reads and 签发; changing nothing else.
    "leader": ["reports.view_annualtarget", "reports.view_briefing", "reports.sign_briefing"],
}
# The county's targets for 2021 (set by the office at the start of the year).
TARGETS_2021 = {
    TargetKind.INTENTION: 100,
    TargetKind.AGREEMENT: 80,
    TargetKind.LANDED: 60,
    TargetKind.TALENT: 120,
    TargetKind.INTERN: 60,
}


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    county = Unit.objects.filter(name=yongji.COUNTY[0]).first()
    if county is None:
        return
    for kind, value in TARGETS_2021.items():
        _, created = AnnualTarget.objects.get_or_create(
            unit=county, year=2021, kind=kind, defaults={"value": value}
        )
        if created:
            result.add("targets")
    load_briefing(result)
    load_bulletin(result)


SUMMARY_NAME = "年度省校合作工作总结"
SUMMARY_TITLE = "{单位}{年度}年省校合作工作总结"
# The 2021 annual summary of the case, every number a figure of the catalogue.
SUMMARY_TEXT = """\
{年度说明}
# 强化工作主动，高位推动省校合作
市委常委会{常委会研究次数}次专题研究省校合作工作，市领导带队赴高校对接{带队对接次数}次，举办推介会{推介会次数}次。建成{基地数}大合作基地，每个基地落实“一名县级领导、一个牵头部门、一个落实专班、一套工作方案”的“四个一”工作机制。
# 聚焦产业而动，推动校地精准对接
全年与{合作高校数}所高校（院所）达成合作意向{合作意向数}项，签订合作协议{签约数}项，落地项目{落地数}个[若 落地投资>0]，落地投资{落地投资}万元[/若]。[若 国际合作数>0]开展国际合作{国际合作数}项，{国际合作学生数}名学生参与线上培养。[/若][若 挂职人数>0]高校{挂职人数}名专家来我市挂职。[/若]
[表 主要合作指标]
指标|数量
合作高校（院所）|{合作高校数}所
合作意向|{合作意向数}项
签约协议|{签约数}项
落地项目|{落地数}个
[/表]
# 凸显集聚效应，广纳各类人才
全年引进各类人才{人才数}名[若 博士数>0 或 硕士数>0]，其中[若 博士数>0]博士研究生{博士数}名[/若][若 博士数>0 且 硕士数>0]、[/若][若 硕士数>0]硕士研究生{硕士数}名[/若][/若]。{选调生数}名选调生全部安排到镇村工作，{医学毕业生数}名医学毕业生全部充实到医院，{实习生数}名大学生分配到{实习单位数}个单位实习实训。
# 巩固拓展成果，打造特色品牌
永济面食产业学院开设{专业数}个专业、{类别数}个类别、{课程数}门课程，“永济好面”品牌连锁门店达到{门店数}家。
"""
SUMMARY_INTRO = (
    "{年度说明}",
    "今年以来，我市深入推进省校合作，坚持以产业需求为导向，推动高校资源与地方发展精准对接，"
    "各项工作取得明显成效。",
)


def summary_text() -> str:
    return SUMMARY_TEXT.replace(*SUMMARY_INTRO)


def load_briefing(result: DemoResult) -> None:
    """The template of the annual summary, and the 2021 summary of Yongji drafted from it."""
    from yanzhen.core.models import User  # the demo's logins exist by now
    from yanzhen.reports.models import Briefing, BriefingKind, BriefingTemplate

    template, created = BriefingTemplate.objects.get_or_create(
        name=SUMMARY_NAME,
        defaults={"kind": BriefingKind.SUMMARY, "title": SUMMARY_TITLE, "text": summary_text()},
    )
    if created:
        result.add("briefing templates")
    county = Unit.objects.filter(name=yongji.COUNTY[0]).first()
    office = User.objects.filter(username="office").first()
    if county is None or office is None or Briefing.objects.filter(template=template).exists():
        return

    briefing_create(
        actor=office,
        data=BriefingData(
            kind=BriefingKind.SUMMARY,
            title="永济市2021年省校合作工作总结",
            unit=county,
            start=dt.date(2021, 1, 1),
            end=dt.date(2021, 12, 31),
            text=template.text,
            masthead="永济市省校合作工作领导小组办公室文件",
            number="永合办〔2021〕12号",
            recipients="运城市省校合作工作领导小组办公室",
            copy_to="市委办公室、市政府办公室",
            signature="永济市省校合作工作领导小组办公室",
            template=template,
        ),
    )
    result.add("briefings")


BULLETIN_TITLE = "全市省校合作工作取得阶段性成效"
BULLETIN_TEXT = """\
今年以来，全市与{合作高校数}所高校（院所）达成合作意向{合作意向数}项，签订合作协议{签约数}项，落地项目{落地数}个。
引进各类人才{人才数}名[若 博士数>0]，其中博士研究生{博士数}名[/若]；{实习生数}名大学生在{实习单位数}个单位实习实训。
"""


def load_bulletin(result: DemoResult) -> None:
    """A 工作简报 already issued (第12期): drafted by the office, reviewed, 签发 by the leader,
    its figures frozen."""
    from yanzhen.core.models import User  # the demo's logins exist by now
    from yanzhen.reports.briefings import BriefingData, briefing_create, issue_now
    from yanzhen.reports.models import Briefing, BriefingKind

    county = Unit.objects.filter(name=yongji.COUNTY[0]).first()
    users = {
        u.username: u for u in User.objects.filter(username__in=["office", "reviewer", "leader"])
    }
    if county is None or len(users) < 3 or Briefing.objects.filter(title=BULLETIN_TITLE).exists():
        return
    briefing = briefing_create(
        actor=users["office"],
        data=BriefingData(
            kind=BriefingKind.BULLETIN,
            title=BULLETIN_TITLE,
            unit=county,
            start=dt.date(2021, 1, 1),
            end=dt.date(2021, 12, 31),
            text=BULLETIN_TEXT,
            masthead="省校合作工作简报",
            signature="永济市省校合作工作领导小组办公室",
            issue=12,
            report_to="运城市省校合作工作领导小组办公室",
            copy_to="市委办公室、市政府办公室",
        ),
    )
    briefing.reviewed_by = users["reviewer"]
    briefing.save(update_fields=["reviewed_by"])
    issue_now(briefing=briefing, signer=users["leader"])
    result.add("briefings")
