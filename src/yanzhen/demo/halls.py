"""The demo's halls: technology needs published by Yongji's enterprises (through the
enterprise login) and results of 西安交通大学 (through the ``university`` login), one of them
left as a draft; publishing them notifies the matching parties as in use."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yanzhen.core.models import User
from yanzhen.demo.shared import DemoResult
from yanzhen.portal import hall_services
from yanzhen.portal.models import Result, TechNeed

# title, problem, field, discipline, budget, days to the deadline, IP expectation
NEEDS: tuple[tuple[str, str, str, str, tuple[int, int], int, str], ...] = (
    (
        "牵引电机绝缘系统耐电晕寿命提升",
        "变频牵引电机在高频脉冲电压下匝间绝缘易发生局部放电，需要提升绝缘系统耐电晕寿命，"
        "并建立加速老化试验方法。",
        "轨道交通装备",
        "0808",
        (80, 150),
        240,
        "shared",
    ),
    (
        "永磁同步电机高温退磁在线监测",
        "希望在不增加传感器的前提下，通过电流和电压信号在线估计永磁体温度并预警退磁风险。",
        "电机与控制",
        "0811",
        (50, 100),
        180,
        "enterprise",
    ),
)
# title, kind, summary, discipline, maturity, transfer mode, price range, published
RESULTS: tuple[tuple[str, str, str, str, str, str, tuple[int, int], bool], ...] = (
    (
        "高频脉冲下电机绝缘局部放电检测技术",
        "patent",
        "基于超高频传感的电机匝间绝缘局部放电检测方法，可用于变频电机绝缘状态评估与寿命预测。",
        "0808",
        "pilot",
        "licence",
        (30, 60),
        True,
    ),
    (
        "永磁电机无传感器温度估计算法",
        "know_how",
        "利用电机模型和观测器在线估计永磁体温度，适用于牵引和新能源汽车永磁同步电机。",
        "0811",
        "lab",
        "joint",
        (20, 40),
        True,
    ),
    (
        "轻量化铝合金铸件缺陷控制工艺",
        "patent",
        "面向汽车零部件的铝合金低压铸造缺陷控制工艺。",
        "0805",
        "industrial",
        "assignment",
        (100, 200),
        False,
    ),
)


def load(result: DemoResult) -> None:
    if TechNeed.objects.exists() or Result.objects.exists():
        return
    enterprise = User.objects.get(username="enterprise")
    university = User.objects.get(username="university")
    today = timezone.localdate()
    for title, kind, summary, code, maturity, mode, (low, high), published in RESULTS:
        record = hall_services.result_create(
            actor=university,
            data=hall_services.ResultData(
                title=title, kind=kind, summary=summary, discipline_code=code,
                maturity=maturity, transfer_mode=mode, price_min=low, price_max=high,
            ),
        )  # fmt: skip
        if published:
            hall_services.result_publish(actor=university, result=record)
        result.add("results")
    for title, problem, field, code, (low, high), days, ip in NEEDS:
        need = hall_services.tech_need_create(
            actor=enterprise,
            data=hall_services.TechNeedData(
                title=title, problem=problem, field=field, discipline_code=code,
                budget_min=low, budget_max=high, deadline=today + dt.timedelta(days=days),
                ip_expectation=ip,
            ),
        )  # fmt: skip
        hall_services.tech_need_publish(actor=enterprise, need=need)
        result.add("tech needs")
