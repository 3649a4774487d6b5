"""The reporting API: a task designed and issued, every state of a submission through the
HTTP surface, the errors of the envelope (bounds with the Chinese label, locked,
self-approval), the data scope of the lists, and the roll-up's exact sums."""

from __future__ import annotations

from tests.reporting.conftest import DEADLINE, FIELDS, World, create_task, post, put, submission_of
from yanzhen.notifications.models import Notification
from yanzhen.reporting.models import Submission, Task


def test_issuing_creates_one_submission_per_town_and_street_at_once(world: World) -> None:
    response = post(
        world.client("office"),
        "/api/v1/reporting/tasks",
        {
            "title": "四季度数据填报",
            "deadline": DEADLINE,
            "fields": FIELDS,
            "targets": {"unit_kinds": ["town", "street"]},
        },
    )
    assert response.status_code == 201
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert body == {"id": task.pk, "state": "issued", "submissions": 3}
    rows = Submission.objects.filter(task=task).order_by("unit__sort_order")
    assert [(s.unit.name, s.state, s.reviewer_unit.name) for s in rows] == [
        ("甲镇", "not_started", "合作办"),
        ("乙镇", "not_started", "合作办"),
        ("丙街道", "not_started", "合作办"),
    ]
    told = Notification.objects.filter(kind="reporting.issued").values_list(
        "recipient__username", flat=True
    )
    assert sorted(told) == sorted([world.users[n].username for n in ("town1", "town2", "street")])


def test_targets_by_unit_ids_and_villages_are_checked_by_their_town(world: World) -> None:
    task_id = create_task(world, {"unit_ids": [world.dept.pk], "unit_kinds": ["village"]})
    rows = Submission.objects.filter(task_id=task_id).order_by("unit__sort_order")
    assert [(s.unit.name, s.reviewer_unit.name) for s in rows] == [
        ("科技局", "合作办"),
        ("甲村", "甲镇"),
    ]


def test_a_badly_designed_field_is_refused_naming_it(world: World) -> None:
    bad = [{"key": "kind", "label": "合作类型", "type": "choice", "choices": []}]
    response = post(
        world.client("office"),
        "/api/v1/reporting/tasks",
        {"title": "t", "deadline": DEADLINE, "fields": bad, "targets": {"unit_kinds": ["town"]}},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "fields.1.choices": "“合作类型”是选择字段，请给出选项"
    }
    assert Task.objects.count() == 0


def test_a_town_may_not_issue_tasks(world: World) -> None:
    response = post(
        world.client("town1"),
        "/api/v1/reporting/tasks",
        {"title": "t", "deadline": DEADLINE, "fields": FIELDS, "targets": {"unit_kinds": ["town"]}},
    )
    assert response.status_code == 403
    assert Task.objects.count() == 0


def test_each_reader_lists_the_submissions_in_their_scope(world: World) -> None:
    task_id = create_task(world, {"unit_kinds": ["town", "street", "village"]})
    url = f"/api/v1/reporting/tasks/{task_id}/submissions"
    office = world.client("office").get(url).json()
    assert office["count"] == 4
    assert [i["unit"]["name"] for i in office["items"]] == ["甲镇", "甲村", "乙镇", "丙街道"]
    town = world.client("town1").get(url).json()
    assert [(i["unit"]["name"], i["state"], i["values"]) for i in town["items"]] == [
        ("甲镇", "not_started", {}),
        ("甲村", "not_started", {}),
    ]
    assert town["count"] == 2
    assert world.client("street").get(url).json()["count"] == 1


def test_a_value_out_of_bounds_is_422_naming_the_chinese_label(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    client = world.client("town1")
    response = put(client, f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 101}})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"values.intentions": "“新增合作意向”应在 0 到 100 之间"}
    response = put(
        client,
        f"/api/v1/reporting/submissions/{pk}",
        {"values": {"investment": "-1", "kind": "其他", "projects": [{"name": "", "amount": 5}]}},
    )
    assert response.json()["error"]["fields"] == {
        "values.investment": "“落地投资额”应在 0 到 100000 之间",
        "values.kind": "“合作类型”应为 科研、人才 之一",
        "values.projects": "“重点项目”第1行“项目名称”必填",
    }
    submission = Submission.objects.get(pk=pk)
    assert (submission.state, submission.values) == ("not_started", {})


def test_every_state_of_a_submission(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    town, office = world.client("town1"), world.client("office")
    path = f"/api/v1/reporting/submissions/{pk}"
    values = {
        "intentions": 3,
        "investment": "10.5",
        "channels": ["找", "邀"],
        "projects": [{"name": "示范园", "stage": "落地", "amount": "2.25"}],
    }
    response = put(town, path, {"values": values})
    assert response.status_code == 200
    assert response.json()["state"] == "draft"
    assert response.json()["values"] == {
        "intentions": 3,
        "investment": "10.50",
        "channels": ["邀", "找"],
        "projects": [{"name": "示范园", "stage": "落地", "amount": "2.25"}],
    }
    assert post(town, f"{path}/submit", {}).json()["state"] == "submitted"
    # Submitted: the unit cannot change it while it is reviewed.
    response = put(town, path, {"values": {"intentions": 4}})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "submitted")
    # A return needs a comment.
    response = post(office, f"{path}/review", {"decision": "return"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"comment": "退回时请填写意见"}
    assert Submission.objects.get(pk=pk).state == "submitted"
    response = post(
        office,
        f"{path}/review",
        {"decision": "return", "comment": "请核对意向数", "fields": {"intentions": "与台账不符"}},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["comment"], body["field_comments"]) == (
        "returned",
        "请核对意向数",
        {"intentions": "与台账不符"},
    )
    assert list(
        Notification.objects.filter(kind="reporting.returned").values_list(
            "recipient__username", "title"
        )
    ) == [(world.users["town1"].username, "“四季度数据填报”被退回：请核对意向数")]
    # Returned: edited (it stays returned until submitted again), then submitted again.
    assert put(town, path, {"values": {"intentions": 4}}).json()["state"] == "returned"
    assert post(town, f"{path}/submit", {}).json()["state"] == "submitted"
    response = post(office, f"{path}/review", {"decision": "approve"})
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    submission = Submission.objects.get(pk=pk)
    assert (submission.rounds, submission.reviewed_by, submission.late) == (
        2,
        world.users["office"],
        False,
    )
    # Approved is locked: no change, no second review.
    response = put(town, path, {"values": {"intentions": 5}})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "locked")
    response = post(town, f"{path}/submit", {})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "locked")
    response = post(office, f"{path}/review", {"decision": "return", "comment": "再改"})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "locked")
    assert Submission.objects.get(pk=pk).values["intentions"] == 4
    history = [h.state for h in submission.history.order_by("history_date", "history_id")]
    assert history == [
        "not_started",
        "draft",
        "submitted",
        "returned",
        "returned",
        "submitted",
        "approved",
    ]


def test_submitting_needs_every_required_field(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    response = post(world.client("town1"), f"/api/v1/reporting/submissions/{pk}/submit", {})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"values.intentions": "“新增合作意向”必填"}
    assert Submission.objects.get(pk=pk).state == "not_started"


def test_a_submission_after_the_deadline_is_late(world: World, clock: object) -> None:
    import datetime as dt

    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    put(world.client("town1"), f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 1}})
    clock.move_to(dt.datetime(2022, 1, 1, 9, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    town = world.client("town1")  # signed in again: the session of 12 days ago has expired
    assert post(town, f"/api/v1/reporting/submissions/{pk}/submit", {}).json()["late"] is True


def test_a_unit_never_approves_what_it_submitted(world: World) -> None:
    task_id = create_task(world, {"unit_ids": [world.office.pk]})
    pk = submission_of(task_id, world.office)
    path = f"/api/v1/reporting/submissions/{pk}"
    office = world.client("office")
    put(office, path, {"values": {"intentions": 2}})
    assert post(office, f"{path}/submit", {}).status_code == 200
    for name in ("office", "office2"):  # the author, and a colleague of the same unit
        response = post(world.client(name), f"{path}/review", {"decision": "approve"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "self_approval"
    submission = Submission.objects.get(pk=pk)
    assert (submission.state, submission.reviewed_by) == ("submitted", None)


def test_only_the_reviewing_unit_decides(world: World) -> None:
    task_id = create_task(world, {"unit_kinds": ["village"]})
    pk = submission_of(task_id, world.village)
    path = f"/api/v1/reporting/submissions/{pk}"
    village = world.client("village")
    put(village, path, {"values": {"intentions": 1}})
    post(village, f"{path}/submit", {})
    # A village's figures are checked by its town first: not by the office.
    response = post(world.client("office"), f"{path}/review", {"decision": "approve"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    # Another town does not see it at all.
    assert post(world.client("town2"), f"{path}/review", {"decision": "approve"}).status_code == 404
    assert Submission.objects.get(pk=pk).state == "submitted"
    response = post(world.client("town1"), f"{path}/review", {"decision": "approve"})
    assert response.json()["state"] == "approved"


def test_a_unit_fills_in_only_its_own(world: World) -> None:
    task_id = create_task(world, {"unit_kinds": ["town", "village"]})
    pk = submission_of(task_id, world.village)
    path = f"/api/v1/reporting/submissions/{pk}"
    response = put(world.client("town1"), path, {"values": {"intentions": 1}})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")
    other = submission_of(task_id, world.town1)
    response = put(world.client("town2"), f"/api/v1/reporting/submissions/{other}", {"values": {}})
    assert response.status_code == 404
    assert Submission.objects.get(pk=pk).state == "not_started"


def _approve(
    world: World, task_id: int, unit_user: str, unit: object, values: dict[str, object]
) -> None:
    pk = submission_of(task_id, unit)  # type: ignore[arg-type]
    client = world.client(unit_user)
    path = f"/api/v1/reporting/submissions/{pk}"
    assert put(client, path, {"values": values}).status_code == 200
    assert post(client, f"{path}/submit", {}).status_code == 200
    reviewer = "town1" if unit_user == "village" else "office"
    assert (
        post(world.client(reviewer), f"{path}/review", {"decision": "approve"}).status_code == 200
    )


def test_the_rollup_sums_the_approved_submissions_exactly(world: World) -> None:
    task_id = create_task(world, {"unit_kinds": ["town", "street", "village"]})
    _approve(
        world,
        task_id,
        "town1",
        world.town1,
        {
            "intentions": 3,
            "investment": "10.25",
            "kind": "科研",
            "channels": ["邀", "找"],
            "projects": [{"name": "a", "amount": "1.10"}, {"name": "b", "amount": "2.20"}],
        },
    )
    _approve(
        world,
        task_id,
        "street",
        world.street,
        {"intentions": 4, "investment": "5.5", "kind": "科研", "channels": ["找"]},
    )
    _approve(world, task_id, "village", world.village, {"intentions": 1, "investment": "0.1"})
    # Submitted but not approved: not counted.
    pk = submission_of(task_id, world.town2)
    put(
        world.client("town2"), f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 50}}
    )
    post(world.client("town2"), f"/api/v1/reporting/submissions/{pk}/submit", {})
    body = world.client("office").get(f"/api/v1/reporting/tasks/{task_id}/rollup").json()
    assert body["totals"] == {
        "intentions": 8,
        "investment": "15.85",
        "projects.amount": "3.30",
        "kind": {"科研": 2, "人才": 0},
        "channels": {"邀": 1, "找": 2, "引": 0, "聚": 0},
    }
    assert body["subtotals"][str(world.town1.pk)]["intentions"] == 1
    assert body["subtotals"][str(world.office.pk)]["intentions"] == 7
    assert [(r["unit"]["name"], r["state"]) for r in body["rows"]] == [
        ("甲镇", "approved"),
        ("甲村", "approved"),
        ("乙镇", "submitted"),
        ("丙街道", "approved"),
    ]
    assert body["missing"] == []
    town = world.client("town1").get(f"/api/v1/reporting/tasks/{task_id}/rollup").json()
    assert town["totals"]["intentions"] == 4
    assert [r["unit"]["name"] for r in town["rows"]] == ["甲镇", "甲村"]


def test_the_rollup_names_the_missing_units(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town2)
    put(world.client("town2"), f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 1}})
    body = world.client("leader").get(f"/api/v1/reporting/tasks/{task_id}/rollup").json()
    assert body["missing"] == [
        {"id": world.town1.pk, "name": "甲镇"},
        {"id": world.town2.pk, "name": "乙镇"},
        {"id": world.street.pk, "name": "丙街道"},
    ]
    assert body["totals"]["intentions"] == 0


def test_the_review_inbox_holds_what_each_reviewer_decides(world: World) -> None:
    from yanzhen.reporting.selectors import submissions_awaiting_review

    task_id = create_task(world, {"unit_kinds": ["town", "village"]})
    for name, unit in (("town1", world.town1), ("village", world.village), ("town2", world.town2)):
        pk = submission_of(task_id, unit)
        put(
            world.client(name), f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 1}}
        )
        post(world.client(name), f"/api/v1/reporting/submissions/{pk}/submit", {})
    office = submissions_awaiting_review(world.users["office"])
    assert [s.unit.name for s in office] == ["甲镇", "乙镇"]
    assert [s.unit.name for s in submissions_awaiting_review(world.users["town1"])] == ["甲村"]
    assert list(submissions_awaiting_review(world.users["town2"])) == []
    assert list(submissions_awaiting_review(world.users["village"])) == []
    post(
        world.client("office"),
        f"/api/v1/reporting/submissions/{office[0].pk}/review",
        {"decision": "approve"},
    )
    assert [s.unit.name for s in submissions_awaiting_review(world.users["office"])] == ["乙镇"]
    approved = Notification.objects.filter(kind="reporting.approved")
    assert list(approved.values_list("recipient__username", "title")) == [
        (world.users["town1"].username, "“四季度数据填报”已审核通过")
    ]
