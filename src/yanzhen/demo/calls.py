"""The demo's 揭榜挂帅 call: a technology problem of a Yongji textile enterprise, drafted by
the county office, approved by a second person of the office (four eyes, in the review
inbox), published, with an application from 西安交通大学 (the ``university`` login) and its
attachment. No
cooperation comes of it yet, so the case's figures stay as they are. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yanzhen.core.models import Unit, User
from yanzhen.core.workflow import review_decide
from yanzhen.demo.shared import DemoResult
from yanzhen.portal import call_services
from yanzhen.portal.models import Call

ENTERPRISE = "永济纺织印染示范企业（演示）"
TITLE = "低温等离子体印染前处理节水工艺攻关"
PROBLEM = (
    "棉及涤棉织物传统碱氧前处理用水量大、能耗高、废水 COD 高。企业希望以低温等离子体或生物酶"
    "替代部分化学助剂，吨布用水降低30%以上，白度和毛效达到现行工艺水平，并完成中试线验证。"
)
PROPOSAL = (
    "西安交通大学电气工程学院等离子体团队拟采用大气压介质阻挡放电处理结合复合生物酶退浆，"
    "在企业现有前处理线上加装等离子体处理单元：第一阶段（6个月）完成工艺窗口实验，"
    "第二阶段（6个月）完成中试线改造与节水、节能测评，知识产权双方共有。"
)

ATTACHMENT = "揭榜方案摘要\n一、技术路线：介质阻挡放电 + 复合生物酶\n二、目标：吨布节水30%以上\n"


def load(result: DemoResult) -> None:
    if Call.objects.filter(title=TITLE).exists():
        return
    office = User.objects.get(username="office")
    reviewer = User.objects.get(username="reviewer")
    university = User.objects.get(username="university")
    enterprise = Unit.objects.get(name=ENTERPRISE)
    call = call_services.call_create(
        actor=office,
        data=call_services.CallData(
            enterprise=enterprise,
            title=TITLE,
            problem=PROBLEM,
            field="纺织印染",
            budget_min=100,
            budget_max=200,
            deadline=timezone.localdate() + dt.timedelta(days=60),
        ),
    )
    approval = call_services.call_submit(actor=office, call=call)
    review_decide(approval=approval, approver=reviewer, decision="approve", comment="同意发布")
    call.refresh_from_db()
    attachment = SimpleUploadedFile("揭榜方案摘要.txt", ATTACHMENT.encode(), "text/plain")
    call_services.application_create(
        actor=university, call=call, proposal=PROPOSAL, attachment=attachment
    )
    result.add("calls")
