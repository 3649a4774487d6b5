"""The demo's reports: the permissions of the year at a glance and of briefings (the second
member of the office who reviews what the first drafts is a login of ``yongji.USERS``), and the
county's targets for 2021.

Idempotent: the targets are added once."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw

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
INFO = ["reports.view_workinfo", "reports.add_workinfo", "reports.change_workinfo"]
OUTGOING = ["reports.view_outgoingreport", "reports.add_outgoingreport"]
PERMISSIONS: dict[str, list[str]] = {
    "office": [*TARGETS, *BRIEFING, *INFO, "reports.adopt_workinfo", *OUTGOING],
    # The leader reads and 签发; changing nothing else.
    "leader": [
        "reports.view_annualtarget",
        "reports.view_briefing",
        "reports.sign_briefing",
        "reports.view_workinfo",
        "reports.view_outgoingreport",
    ],
    # Towns, departments and bases send their 工作信息 up (信息报送).
    "town": INFO,
    "base_lead": INFO,
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
    load_info(result)


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


# 信息报送: two items per town or street (the first adopted into the issued 第12期 for every
# other town, the second of the fourth town returned), one of a base, and the 专报 of 第12期.
INFO_ITEMS = (
    ("{town}召开省校合作工作推进会", "{town}召开省校合作工作推进会，梳理本镇与高校对接的重点项目，"
     "明确责任人和完成时限，推动合作意向尽快转化为签约项目。"),
    ("{town}组织企业赴高校开展技术对接", "{town}组织辖区重点企业赴高校开展技术对接，围绕产品升级、"
     "人才培养等需求与高校专家深入交流，达成初步合作意向。"),
)  # fmt: skip
REPORT_TO = "运城市省校合作工作领导小组办公室"


def _photo() -> bytes:
    """A small picture standing in for a photo of the meeting (drawn, no file shipped)."""
    image = Image.new("RGB", (320, 200), (230, 236, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, 300, 180), fill=(200, 40, 40))
    draw.ellipse((120, 30, 200, 110), fill=(60, 90, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_info(result: DemoResult) -> None:
    from yanzhen.cooperation.models import Base  # the demo's bases exist by now
    from yanzhen.core.models import UnitKind, User
    from yanzhen.demo.reporting import _clerk
    from yanzhen.reports import info
    from yanzhen.reports.models import Briefing, WorkInfo

    county = Unit.objects.filter(name=yongji.COUNTY[0]).first()
    bulletin = Briefing.objects.filter(title=BULLETIN_TITLE).first()
    users = {u.username: u for u in User.objects.filter(username__in=["office", "town", "base"])}
    if county is None or bulletin is None or len(users) < 3 or WorkInfo.objects.exists():
        return
    towns = Unit.objects.filter(parent=county, kind__in=[UnitKind.TOWN, UnitKind.STREET]).order_by(
        "sort_order", "pk"
    )
    for n, town in enumerate(towns):
        clerk = users["town"] if users["town"].unit_id == town.pk else _clerk(town)
        for k, (title, text) in enumerate(INFO_ITEMS):
            item = info.info_submit(
                actor=clerk,
                data=info.InfoData(
                    title=title.format(town=town.name),
                    text=text.format(town=town.name),
                    date=dt.date(2021, 11 + k, 3 + n),
                ),
            )
            result.add("work information")
            if n == 0 and k == 1:  # the first town's meeting with a photo of it
                photo = info.Photo("对接现场.png", _photo())
                info.info_update(actor=clerk, info=item, data=info.InfoData(
                    title=item.title, text=item.text, date=item.date), version=item.version,
                    photos=[photo])  # fmt: skip
            if k == 0 and n % 2 == 0:
                info.info_adopt(actor=users["office"], info=item, briefing=bulletin,
                                comment="内容翔实，采用")  # fmt: skip
            elif k == 1 and n == 3:
                info.info_return(actor=users["office"], info=item,
                                 comment="请补充对接企业名称和合作意向的具体内容")  # fmt: skip
    base = Base.objects.filter(lead_department=users["base"].unit).order_by("code").first()
    if base is not None:
        item = info.info_submit(
            actor=users["base"],
            data=info.InfoData(
                title=f"{base.name}召开专班工作例会",
                text=f"{base.name}召开专班工作例会，通报四个一落实情况，部署下一阶段合作任务。",
                date=dt.date(2021, 12, 10),
                base=base,
            ),
        )
        info.info_adopt(actor=users["office"], info=item, briefing=bulletin)
        result.add("work information")
    info.outgoing_report_create(
        actor=users["office"],
        briefing=bulletin,
        recipient=REPORT_TO,
        sent_on=dt.date(2021, 12, 31),
        note="以专报形式报送",
    )
    result.add("outgoing reports")
