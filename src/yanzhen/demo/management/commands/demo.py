"""``yanzhen demo``: load the Yongji demo (idempotent) and print the logins."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from yanzhen.core.planner import analyze
from yanzhen.demo import portal, province, yongji
from yanzhen.demo.loader import (
    ADMIN_ROLES,
    COUNTY_ADMIN_ROLES,
    ROLES,
    demo_otp_secrets,
    load_demo,
)
from yanzhen.portal.services import OUTSIDE_ROLES
from yanzhen.reference.loaders import load_national_divisions

# What the summary counts, in Chinese (the loaders name what they add in English).
LABELS: dict[str, str] = {
    "action items": "会议决定事项",
    "activities": "对接活动",
    "agreements": "合作协议",
    "assessment periods": "考核期",
    "base types": "基地类型",
    "bases": "合作基地",
    "briefing templates": "简报模板",
    "briefings": "简报",
    "campaigns": "需求调查",
    "ceremonies": "集中签约仪式",
    "cooperations": "合作项目",
    "county settings": "县级设置",
    "disciplines": "学科",
    "divisions": "行政区划",
    "experts": "专家",
    "held_rows": "待确认导入行",
    "indicator systems": "指标体系",
    "milestones": "工作方案节点",
    "outgoing reports": "专报记录",
    "people": "人员",
    "problems": "问题",
    "reference_rows": "参考数据",
    "reporting submissions": "填报记录",
    "reporting tasks": "填报任务",
    "reports": "调度报告",
    "results": "科技成果",
    "reviews": "待审核事项",
    "robots": "群机器人",
    "roles": "角色",
    "rounds": "工作调度",
    "secondments": "挂职交流",
    "signatures": "电子签名",
    "talent apartments": "人才公寓",
    "talent applicants": "报名人员",
    "talent benefits": "人才待遇项目",
    "talent campaigns": "招聘活动",
    "talent colleges": "培训学院",
    "talent deliveries": "待遇兑现",
    "talent entitlements": "人才待遇",
    "talent programmes": "分配项目",
    "talent_needs": "人才需求",
    "talents": "人才",
    "targets": "年度目标",
    "tech needs": "技术难题",
    "units": "单位",
    "universities": "高校",
    "users": "账号",
    "work information": "工作信息",
    "calls": "揭榜挂帅榜单",
    "follow_ups": "落地项目跟踪",
    "matchmaking events": "云对接会",
    "threads": "对接洽谈",
}


def address() -> str:
    """Where ``make run`` serves the platform (``HOST`` and ``PORT`` as the Makefile reads)."""
    host = os.environ.get("HOST", "127.0.0.1")
    return f"http://{host}:{os.environ.get('PORT', '8000')}/"


class Command(BaseCommand):
    help = "载入永济案例演示数据（可重复运行，不会重复新增），并列出演示账号"

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        # The divisions of the whole country down to township, beside the demo: no page of the
        # demo reads them (load_demo, which the suite copies, leaves their 42,000 rows out).
        result.add("divisions", sum(r.created for r in load_national_divisions()))
        # Planner statistics for the tables just filled (PostgreSQL; core.planner says why).
        analyze()
        if result.created:
            added = "，".join(f"{LABELS.get(k, k)} {v}" for k, v in sorted(result.created.items()))
            self.stdout.write(f"已载入永济演示数据：{added}")
        else:
            self.stdout.write("永济演示数据已存在，未作改动")
        self.stdout.write(f"访问地址：{address()}")
        self.stdout.write(f"演示账号（密码均为 {yongji.DEMO_PASSWORD}）：")
        for username, unit, role, _name in yongji.USERS:
            name, _scope, _perms, what = {**ROLES, **ADMIN_ROLES, **COUNTY_ADMIN_ROLES}[role]
            self.stdout.write(f"  {username:<11} {unit} · {name}：{what}")
        for username, kind, _full_name in portal.LOGINS:
            label, _otp, _codes, purpose = OUTSIDE_ROLES[kind]
            self.stdout.write(
                f"  {username:<11} {portal.UNIVERSITY} · {label}：{purpose}（对接门户）"
            )
        login, full_name = province.CITY_USER
        self.stdout.write(f"  {login:<11} 运城市 · {full_name}：对比本市13个县（市、区），只读")
        secrets = demo_otp_secrets()
        if secrets:
            self.stdout.write(
                "以下账号须双因素认证：在身份验证器中为每个账号添加它自己的密钥"
                "（TOTP，6位，30秒；仅限演示）："
            )
            for username, secret in secrets:
                self.stdout.write(f"  {username:<11} {secret}")
