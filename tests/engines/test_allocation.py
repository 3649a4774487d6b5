"""The allocation engine: stable, capacity-respecting, optimal for the proposing side, equal to
the ``matching`` package's hospital/resident solver, and exact about its input and its figures."""

from __future__ import annotations

import itertools
import json
import warnings
from collections.abc import Iterator, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from yanzhen.engines.allocation import (
    HostUnit,
    InputError,
    Instance,
    Optimal,
    Problem,
    blocking_pairs,
    choice_rank,
    loads,
    parse_instance,
    rank_distribution,
    solve,
    stats,
    unmatched_reasons,
    verify,
)


def instance(applicants: dict[str, list[str]], units: dict[str, tuple[int, list[str]]]) -> Instance:
    return Instance(applicants, {u: HostUnit(c, tuple(r)) for u, (c, r) in units.items()})


# Random instances ----------------------------------------------------------------------------


def prefix_of_permutation(items: list[str]) -> st.SearchStrategy[list[str]]:
    """Some of ``items`` in a random order."""
    return st.permutations(items).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda k: list(order[:k]))
    )


@st.composite
def instances(draw: st.DrawFn, max_applicants: int = 7, max_units: int = 4) -> Instance:
    """Random instances; a unit may rank applicants who did not list it, and vice versa."""
    n_applicants = draw(st.integers(0, max_applicants))
    n_units = draw(st.integers(0, max_units))
    applicant_ids = [f"a{i}" for i in range(n_applicants)]
    unit_ids = [f"u{j}" for j in range(n_units)]
    applicants = {a: draw(prefix_of_permutation(unit_ids)) for a in applicant_ids}
    units = {
        u: HostUnit(draw(st.integers(0, 3)), tuple(draw(prefix_of_permutation(applicant_ids))))
        for u in unit_ids
    }
    return Instance(applicants, units)


def acceptable(inst: Instance, a: str) -> list[str]:
    return [u for u in inst.applicants[a] if a in inst.unit_ranks[u]]


def all_stable(inst: Instance) -> Iterator[dict[str, str | None]]:
    """Every stable, capacity-respecting, acceptable assignment (brute force)."""
    ids = list(inst.applicants)
    options = [[None, *acceptable(inst, a)] for a in ids]
    for combo in itertools.product(*options):
        assignment = dict(zip(ids, combo, strict=True))
        if not verify(inst, assignment):
            yield assignment


def prefers(inst: Instance, a: str, x: str | None, y: str | None) -> bool:
    """Whether applicant ``a`` strictly prefers ``x`` to ``y`` (None = unmatched, the worst)."""
    if x == y or x is None:
        return False
    if y is None:
        return True
    order = list(inst.applicants[a])
    return order.index(x) < order.index(y)


def with_matching_package(inst: Instance, optimal: Optimal) -> dict[str, str | None] | None:
    """The ``matching`` package's result on the mutually acceptable part of ``inst``, or None
    when the instance has nothing it can solve (it needs non-empty lists and capacities ≥ 1)."""
    units = {u: spec for u, spec in inst.units.items() if spec.capacity > 0}
    residents = {
        a: [u for u in prefs if u in units and a in inst.unit_ranks[u]]
        for a, prefs in inst.applicants.items()
    }
    residents = {a: prefs for a, prefs in residents.items() if prefs}
    hospitals = {
        u: [a for a in spec.ranking if u in residents.get(a, ())] for u, spec in units.items()
    }
    hospitals = {u: ranking for u, ranking in hospitals.items() if ranking}
    if not residents or not hospitals:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {u: units[u].capacity for u in hospitals}
        )
        result = game.solve(optimal="resident" if optimal == "applicant" else "hospital")
    out: dict[str, str | None] = dict.fromkeys(inst.applicants)
    for hospital, matched in result.items():
        for resident in matched:
            out[str(resident.name)] = str(hospital.name)
    return out


# Properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(instances(), st.sampled_from(["applicant", "unit"]))
def test_every_result_is_stable_within_capacity_and_acceptable(
    inst: Instance, optimal: Optimal
) -> None:
    result = solve(inst, optimal)
    assert set(result) == set(inst.applicants)
    assert verify(inst, result) == []


@settings(max_examples=300, deadline=None)
@given(instances(), st.sampled_from(["applicant", "unit"]))
def test_it_equals_the_matching_package_on_instances_it_can_solve(
    inst: Instance, optimal: Optimal
) -> None:
    theirs = with_matching_package(inst, optimal)
    ours = solve(inst, optimal)
    if theirs is None:
        assert all(u is None for u in ours.values())
    else:
        assert ours == theirs


@settings(max_examples=150, deadline=None)
@given(instances(max_applicants=5, max_units=3))
def test_applicant_optimal_is_best_and_unit_optimal_worst_for_every_applicant(
    inst: Instance,
) -> None:
    best = solve(inst, "applicant")
    worst = solve(inst, "unit")
    stable = list(all_stable(inst))
    assert best in stable
    assert worst in stable
    for other in stable:
        for a in inst.applicants:
            assert not prefers(inst, a, other[a], best[a])
            assert not prefers(inst, a, worst[a], other[a])


@settings(max_examples=200, deadline=None)
@given(instances())
def test_both_sides_match_the_same_applicants(inst: Instance) -> None:
    """The rural hospitals theorem: every stable matching matches the same applicants."""
    best = solve(inst, "applicant")
    worst = solve(inst, "unit")
    assert {a for a, u in best.items() if u} == {a for a, u in worst.items() if u}


# Edge cases ----------------------------------------------------------------------------------


def test_empty_instances_and_empty_lists() -> None:
    assert solve(Instance({}, {})) == {}
    assert solve(instance({"a": []}, {}), "unit") == {"a": None}
    inst = instance({"a": [], "b": ["u"]}, {"u": (1, [])})
    assert solve(inst) == {"a": None, "b": None}
    assert {a: r.code for a, r in unmatched_reasons(inst, solve(inst)).items()} == {
        "a": "no_choices",
        "b": "not_ranked",
    }


def test_a_unit_of_zero_capacity_takes_nobody() -> None:
    inst = instance({"a": ["u", "v"], "b": ["u"]}, {"u": (0, ["a", "b"]), "v": (1, ["a"])})
    assert solve(inst) == {"a": "v", "b": None}
    assert solve(inst, "unit") == {"a": "v", "b": None}
    reasons = unmatched_reasons(inst, solve(inst))
    assert reasons["b"].code == "no_capacity"
    assert reasons["b"].label == "所填志愿单位名额为零"


def test_an_applicant_ranked_by_no_unit_stays_unmatched_though_places_are_free() -> None:
    inst = instance({"a": ["u"], "b": ["u"]}, {"u": (2, ["b"])})
    assert solve(inst) == {"a": None, "b": "u"}
    assert stats(inst, solve(inst))["unfilled_places"] == {"u": 1}
    assert unmatched_reasons(inst, solve(inst))["a"].code == "not_ranked"


def test_a_unit_ranked_by_nobody_stays_empty() -> None:
    inst = instance({"a": ["v"]}, {"u": (3, ["a"]), "v": (1, ["a"])})
    assert solve(inst) == {"a": "v"}
    assert solve(inst, "unit") == {"a": "v"}


def test_the_sides_disagree_when_preferences_cross() -> None:
    inst = instance(
        {"a": ["u", "v"], "b": ["v", "u"]}, {"u": (1, ["b", "a"]), "v": (1, ["a", "b"])}
    )
    assert solve(inst) == {"a": "u", "b": "v"}
    assert solve(inst, "unit") == {"a": "v", "b": "u"}
    assert rank_distribution(inst, solve(inst)) == {1: 2}
    assert rank_distribution(inst, solve(inst, "unit")) == {2: 2}
    with pytest.raises(ValueError, match="optimal must be"):
        solve(inst, "nobody")  # type: ignore[arg-type]


def test_a_displaced_applicant_moves_down_its_list() -> None:
    inst = instance(
        {"a": ["u", "v"], "b": ["u", "v"], "c": ["u"]},
        {"u": (1, ["c", "b", "a"]), "v": (1, ["a", "b"])},
    )
    result = solve(inst)
    assert result == {"a": "v", "b": None, "c": "u"}
    reasons = unmatched_reasons(inst, result)
    assert [
        (v.unit, v.code, v.applicant_rank, v.last_admitted_rank) for v in reasons["b"].units
    ] == [
        ("u", "outranked", 2, 1),
        ("v", "outranked", 2, 1),
    ]
    assert stats(inst, result) == {
        "optimal": "applicant",
        "applicants": 3,
        "units": 2,
        "capacity": 2,
        "matched": 2,
        "unmatched": 1,
        "rank_distribution": {"1": 1, "2": 1},
        "unmatched_reasons": {"outranked": 1},
        "unfilled_places": {},
        "blocking_pairs": 0,
    }


def test_verify_names_every_problem_of_a_hand_made_assignment() -> None:
    inst = instance(
        {"a": ["u", "v"], "b": ["u"], "c": ["v"]},
        {"u": (1, ["a", "b"]), "v": (1, ["a"])},
    )
    problems = verify(inst, {"a": "v", "b": "u", "c": "v", "x": "u"})
    assert problems == [
        Problem("unacceptable", "c", "v", "c 与 v 并非双方互选，不能匹配"),
        Problem("unknown", "x", "u", "未知的申请人或单位：x → u"),
        Problem("over_capacity", "", "v", "v 接收 2 人，超过名额 1 人"),
        Problem(
            "blocking_pair", "a", "u", "a 更愿意去 u，而 u 有空余名额或更愿意接收 a：分配不稳定"
        ),
    ]
    assert blocking_pairs(inst, {"a": None, "b": None, "c": None}) == [
        ("a", "u"),
        ("a", "v"),
        ("b", "u"),
    ]
    assert blocking_pairs(inst, {"a": None, "b": None, "c": None}, limit=1) == [("a", "u")]
    assert choice_rank(inst, "a", "v") == 2
    assert choice_rank(inst, "c", "u") is None
    assert choice_rank(inst, "a", None) is None


# Input ---------------------------------------------------------------------------------------

GOOD = {
    "applicants": {"张三": ["u1", "u2"], "李四": ["u1"]},
    "units": {"u1": {"capacity": 1, "ranking": ["李四", "张三"]}, "u2": {"capacity": 0}},
}


def test_it_parses_a_valid_input() -> None:
    inst = parse_instance(loads(json.dumps(GOOD)))
    assert inst.applicants == {"张三": ["u1", "u2"], "李四": ["u1"]}
    assert inst.units == {"u1": HostUnit(1, ("李四", "张三")), "u2": HostUnit(0, ())}
    assert solve(inst) == {"张三": None, "李四": "u1"}


def bad(data: Mapping[str, object] | str) -> str:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(InputError) as caught:
        parse_instance(loads(text, source="in.json"))
    return str(caught.value)


def test_each_input_error_names_its_place() -> None:
    units = {"u1": {"capacity": 1}}
    two = {"u1": {"capacity": 1}, "u2": {"capacity": 1}}
    cases: list[tuple[Mapping[str, object] | str, str]] = [
        ('{"applicants": {}, "units": {}', "in.json:1:31: JSON 格式错误：Expecting ',' delimiter"),
        ("[]", "$: 输入应为 JSON 对象，实际为列表"),
        ({"applicants": {}}, '$: 缺少键 "units"'),
        ({"applicants": {}, "units": {}, "more": 1}, '$["more"]: 未知的键（应为 "applicants" 和 "units"）'),
        ({"applicants": [], "units": {}}, "applicants: applicants 应为 JSON 对象，实际为列表"),
        ({"applicants": {"a": ["u9"]}, "units": units}, 'applicants["a"][0]: 未知的单位 "u9"'),
        ({"applicants": {"a": ["u1", "u2", "u1"]}, "units": two},
         'applicants["a"][2]: 重复的条目 "u1"（已在 [0] 出现）'),
        ({"applicants": {"a": "u1"}, "units": units}, 'applicants["a"]: 志愿应为列表，实际为字符串'),
        ({"applicants": {"a": [1]}, "units": units}, 'applicants["a"][0]: 应为字符串 id，实际为数字'),
        ({"applicants": {"a": [None]}, "units": units}, 'applicants["a"][0]: 应为字符串 id，实际为null'),
        ({"applicants": {}, "units": {"u": {"capacity": -1}}}, 'units["u"].capacity: 不能为负数（为 -1）'),
        ({"applicants": {}, "units": {"u": {"capacity": 1.5}}}, 'units["u"].capacity: 应为整数，实际为数字'),
        ({"applicants": {}, "units": {"u": {"capacity": True}}}, 'units["u"].capacity: 应为整数，实际为布尔值'),
        ({"applicants": {}, "units": {"u": {"ranking": []}}}, 'units["u"]: 缺少键 "capacity"'),
        ({"applicants": {}, "units": {"u": {"capacity": 1, "rank": []}}},
         'units["u"]["rank"]: 未知的键（应为 "capacity" 和 "ranking"）'),
        ({"applicants": {}, "units": {"u": {"capacity": 1, "ranking": ["nobody"]}}},
         'units["u"].ranking[0]: 未知的申请人 "nobody"'),
        ({"applicants": {"a": []}, "units": {"u": {"capacity": 1, "ranking": ["a", "a"]}}},
         'units["u"].ranking[1]: 重复的条目 "a"（已在 [0] 出现）'),
        ({"applicants": {}, "units": {"u": {"capacity": 1, "ranking": {}}}},
         'units["u"].ranking: 排序应为列表，实际为对象'),
        ({"applicants": {}, "units": {"u": 3}}, 'units["u"]: 单位应为 JSON 对象，实际为数字'),
        ('{"applicants": {"a": [], "a": []}, "units": {}}', 'applicants["a"]: 键重复'),
        ('{"applicants": {}, "units": {"u": {"capacity": 1, "capacity": 2}}}',
         'units["u"]["capacity"]: 键重复'),
    ]  # fmt: skip
    assert [bad(data) for data, _ in cases] == [message for _, message in cases]
