"""The demo's halls: technology needs published by Yongji's enterprises (through the
enterprise login) and results of 西安交通大学 (through the ``university`` login), one of them
left as a draft; publishing them notifies the matching parties as in use; 西安交通大学 expresses
interest in the first need and negotiates with the enterprise (a few messages, an attachment),
until they agree: the county office may turn it into a cooperation."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yanzhen.core.models import User
from yanzhen.demo.shared import DemoResult
from yanzhen.portal import hall_services, thread_services
from yanzhen.portal.models import Result, TechNeed, ThreadStatus

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
# The negotiation 西安交通大学 opened on the first need: who writes, what (in order).
THREAD: tuple[tuple[str, str], ...] = (
    (
        "university",
        "我校电气工程学院在变频电机绝缘局部放电与寿命评估方面有多年积累，"
        "已有中试阶段的检测技术，希望就该难题合作攻关。",
    ),
    (
        "enterprise",
        "欢迎！请介绍一下加速老化试验的周期和所需设备，我公司可提供试验样机。",
    ),
    (
        "university",
        "加速老化试验约需三个月，实验室已具备高频脉冲电源；建议先签订合作意向，"
        "再细化研究内容和经费安排。",
    ),
)
# The enterprise's attachment to its last message: file name, content.
ATTACHMENT = (
    "试验条件说明.txt",
    "中车永济电机有限公司牵引电机试验站：可提供试验样机 2 台，变频电源 1 套。\n",
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
            hall_services.publication_publish(actor=university, item=record)
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
        hall_services.publication_publish(actor=enterprise, item=need)
        result.add("tech needs")
    first = TechNeed.objects.get(title=NEEDS[0][0])
    users = {"university": university, "enterprise": enterprise}
    (_, opening), *replies = THREAD
    thread = thread_services.thread_start(actor=university, need=first, body=opening)
    for who, body in replies:
        thread_services.message_post(actor=users[who], thread=thread, body=body)
    thread_services.message_post(
        actor=enterprise,
        thread=thread,
        body="同意先签订合作意向，附上我公司的试验条件说明。",
        attachment=SimpleUploadedFile(
            ATTACHMENT[0], ATTACHMENT[1].encode(), content_type="text/plain"
        ),
    )
    thread_services.thread_move(actor=university, thread=thread, status=ThreadStatus.AGREED)
    result.add("threads")
