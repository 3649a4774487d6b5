"""Recommendation of universities (by discipline) and experts for a talent need, with the why.

Each candidate is a *profile*: a university in one discipline (its 双一流 and 4th-round standing,
the discipline's name and research terms, its known experts' directions) or an expert (name,
university, disciplines, directions, titles, projects). The final score, between 0 and 1, is a
weighted sum of five parts, each between 0 and 1:

* ``text`` — BM25 of the need's text against the profile, divided by the best BM25 among the
  candidates of this need (so the best textual match gets 1);
* ``discipline`` — 1 when the profile's discipline is one of the need's catalogue codes, 0.4
  when it shares the need's 门类 (first two digits) and the text matches too, else 0;
* ``strength`` — 0.75 × the 4th-round grade (A+ 1.0, A 0.9 … C- 0.2) + 0.25 × 双一流 (1 for a
  2022 construction discipline, 0.5 for 2017 only);
* ``province`` — 1 when the university is in the home province (省校合作 favours it), else 0;
* ``cooperation`` — past cooperation with the county: min(count, 3) / 3.

A profile is a candidate only when the need's text matches it or its discipline is one of the
need's codes, and (when the need asks for a degree) when it can train that degree. Results are
ordered by score, then strength, then past cooperation, then university name, discipline
code and key: ties always fall the same way. Each result carries its parts and the reasons in
Chinese (matched terms, matched discipline, grade, 双一流, province, distance, cooperation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from yanzhen.engines.retrieval.bm25 import BM25Index, BM25Params
from yanzhen.engines.retrieval.text import Tokenizer

Kind = Literal["university", "expert"]

GRADE_VALUES = {
    "A+": 1.0, "A": 0.9, "A-": 0.8, "B+": 0.7, "B": 0.6, "B-": 0.5, "C+": 0.4, "C": 0.3, "C-": 0.2,
}  # fmt: skip
DEGREES = ("associate", "bachelor", "master", "doctor")
DEGREE_LABELS = {"associate": "大专", "bachelor": "本科", "master": "硕士", "doctor": "博士"}
CATEGORY_MATCH = 0.4
COOPERATION_CAP = 3
PLACES = 4  # the score's decimal places (ties are decided on the rounded score)
ALSO_TEXT = 0.5  # a university's other discipline is named when its text is this good


@dataclass(frozen=True)
class Weights:
    text: float = 0.40
    discipline: float = 0.25
    strength: float = 0.15
    province: float = 0.10
    cooperation: float = 0.10

    def __post_init__(self) -> None:
        values = (self.text, self.discipline, self.strength, self.province, self.cooperation)
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("weights must be non-negative and not all zero")

    def normalized(self) -> Weights:
        total = self.text + self.discipline + self.strength + self.province + self.cooperation
        return Weights(
            self.text / total,
            self.discipline / total,
            self.strength / total,
            self.province / total,
            self.cooperation / total,
        )


@dataclass(frozen=True)
class Profile:
    """One candidate: a university in a discipline, or an expert."""

    key: str
    kind: Kind
    university_key: str
    university: str
    discipline_code: str
    discipline: str
    text: str
    province: str = ""
    grade: str = ""
    dfc_2022: bool = False
    dfc_2017: bool = False
    max_degree: str = "doctor"
    expert: str = ""
    title: str = ""
    other_codes: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return (
            (self.discipline_code, *self.other_codes) if self.discipline_code else self.other_codes
        )

    @property
    def strength(self) -> float:
        grade = GRADE_VALUES.get(self.grade, 0.0)
        dfc = 1.0 if self.dfc_2022 else 0.5 if self.dfc_2017 else 0.0
        return round(0.75 * grade + 0.25 * dfc, 6)

    @property
    def cooperation_key(self) -> str:
        """Whose past cooperation counts: the expert's own projects, or the university's."""
        return self.key if self.kind == "expert" else self.university_key


@dataclass(frozen=True)
class Need:
    """What is searched: the need's text, its catalogue codes and the degree asked for."""

    text: str
    discipline_codes: tuple[str, ...] = ()
    degree: str = ""


@dataclass(frozen=True)
class Context:
    """Facts of the asking county: home province, distances and past cooperation."""

    home_province: str = ""
    distances_km: Mapping[str, float] = field(default_factory=dict)
    cooperation: Mapping[str, int] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)
    discipline_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """One part of a score: its raw value (0–1), weight, points and the reason."""

    name: str
    label: str
    value: float
    weight: float
    points: float
    reason: str


@dataclass(frozen=True)
class Recommendation:
    profile: Profile
    score: float
    parts: tuple[Part, ...]
    matched_terms: tuple[str, ...]
    distance_km: float | None
    cooperation_count: int
    rank: int = 0
    also: tuple[str, ...] = ()  # the university's other matching disciplines

    @property
    def reasons(self) -> list[str]:
        """The why, in Chinese: one sentence per part that counted, then the distance."""
        out = [p.reason for p in self.parts if p.reason]
        if self.distance_km is not None:
            out.append(f"距本地约 {round(self.distance_km):,} 公里")
        if self.also:
            out.append(f"该校其他相关学科：{'、'.join(self.also)}")
        return out

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)


@dataclass(frozen=True)
class Outcome:
    items: tuple[Recommendation, ...]
    terms: tuple[str, ...]
    unknown_terms: tuple[str, ...]
    message: str = ""


class Recommender:
    """Ranks profiles for needs; build once per set of profiles (the index is immutable).

    Scoring is vectorised over the candidates (numpy); only the results shown are turned into
    :class:`Recommendation` objects with their reasons.
    """

    def __init__(
        self,
        profiles: Sequence[Profile],
        *,
        tokenizer: Tokenizer,
        params: BM25Params | None = None,
    ) -> None:
        self.profiles = list(profiles)
        self.tokenizer = tokenizer
        self.index = BM25Index.build(
            tokenizer.tokenize_many([p.text for p in self.profiles]), params
        )
        self.by_key = {p.key: i for i, p in enumerate(self.profiles)}
        self.by_code: dict[str, list[int]] = defaultdict(list)
        self.by_category: dict[str, list[int]] = defaultdict(list)
        for i, profile in enumerate(self.profiles):
            for code in profile.codes:
                self.by_code[code].append(i)
                self.by_category[code[:2]].append(i)
        self.by_cooperation_key: dict[str, list[int]] = defaultdict(list)
        university_numbers: dict[str, int] = {}
        for i, profile in enumerate(self.profiles):
            self.by_cooperation_key[profile.cooperation_key].append(i)
            university_numbers.setdefault(profile.university_key, len(university_numbers))
        n = len(self.profiles)
        self.university_ids = np.array(
            [university_numbers[p.university_key] for p in self.profiles], dtype=np.int64
        )
        self.strength = np.array([p.strength for p in self.profiles], dtype=np.float64)
        self.degree = np.array([DEGREES.index(p.max_degree) for p in self.profiles], dtype=np.int8)
        provinces = sorted({p.province for p in self.profiles})
        self.province_ids = {name: i for i, name in enumerate(provinces)}
        self.province = np.array(
            [self.province_ids[p.province] for p in self.profiles], dtype=np.int32
        )
        order = sorted(
            range(n),
            key=lambda i: (
                self.profiles[i].university,
                self.profiles[i].discipline_code,
                self.profiles[i].key,
            ),
        )
        self.name_rank = np.empty(n, dtype=np.int64)
        self.name_rank[order] = np.arange(n)

    def __len__(self) -> int:
        return len(self.profiles)

    def recommend(
        self,
        need: Need,
        context: Context,
        *,
        top: int | None = 10,
        per_university: bool = True,
        allowed: Collection[str] | None = None,
    ) -> Outcome:
        """The best profiles for ``need``; with ``per_university`` one per university (its best
        discipline, the others named in ``also``). ``allowed``: the profile keys that may be
        returned (e.g. the experts the user may see); all when None."""
        terms = tuple(dict.fromkeys(self.tokenizer.tokens(need.text)))
        known = tuple(t for t in terms if t in self.index.vocabulary)
        unknown = tuple(t for t in terms if t not in self.index.vocabulary)
        codes = tuple(dict.fromkeys(c.strip() for c in need.discipline_codes if c.strip()))
        if not terms and not codes:
            return Outcome((), (), (), "请填写需求描述（岗位、技术方向、产品等）或学科代码")
        n = len(self.profiles)
        text = self.index.scores(known) if known else np.zeros(n, dtype=np.float64)
        exact = np.zeros(n, dtype=bool)
        category = np.zeros(n, dtype=bool)
        for code in codes:
            exact[self.by_code.get(code, [])] = True
            category[self.by_category.get(code[:2], [])] = True
        mask = (text > 0) | exact
        excluded_by_scope = 0
        if allowed is not None:
            permitted = np.zeros(n, dtype=bool)
            permitted[[self.by_key[k] for k in allowed if k in self.by_key]] = True
            excluded_by_scope = int((mask & ~permitted).sum())
            mask &= permitted
        excluded_by_degree = 0
        if need.degree in DEGREES:
            capable = self.degree >= DEGREES.index(need.degree)
            excluded_by_degree = int((mask & ~capable).sum())
            mask &= capable
        if not mask.any():
            message = _nothing(need, unknown, excluded_by_degree, excluded_by_scope)
            return Outcome((), terms, unknown, message)
        # The parts and the score of every profile (whole arrays: cheaper than gathering the
        # candidates, often most of the profiles); only the candidates (``mask``) count.
        weights = context.weights.normalized()
        restricted = allowed is not None or need.degree in DEGREES
        best_text = float((np.where(mask, text, 0.0) if restricted else text).max())
        text_value = text / best_text if best_text > 0 else np.zeros(n)
        discipline_value = (
            np.where(exact, 1.0, np.where(category & (text > 0), CATEGORY_MATCH, 0.0))
            if codes
            else np.zeros(n)
        )
        home = self.province_ids.get(context.home_province, -1) if context.home_province else -1
        province_value = (self.province == home).astype(np.float64)
        counts = np.zeros(n, dtype=np.int64)
        for key, count in context.cooperation.items():
            counts[self.by_cooperation_key.get(key, [])] = count
        cooperation_value = np.minimum(counts, COOPERATION_CAP) / COOPERATION_CAP
        # text + discipline + strength + province + cooperation, in this order; a part that is
        # 0 for every profile is left out (adding 0.0 changes no sum).
        score = text_value * weights.text
        if codes:
            score += discipline_value * weights.discipline
        score += self.strength * weights.strength
        if home >= 0:
            score += province_value * weights.province
        if context.cooperation:
            score += cooperation_value * weights.cooperation

        def ordered(docs: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
            """``docs`` best first: by the score rounded as shown, then strength, past
            cooperation, university name, discipline code and key (a total order)."""
            keys = (self.name_rank[docs], -counts[docs], -self.strength[docs])
            return docs[np.lexsort((*keys, -_round(score[docs])))]

        limit = top if top else n
        others: dict[str, list[str]] = {}
        if per_university:
            # Only a pool of the best candidates is sorted (see ``_pool``): its order is the
            # order of all the candidates, and no university outside it can be among the first.
            order = ordered(_pool(score, mask, limit, self.university_ids))
            universities = self.university_ids[order]
            _, firsts = np.unique(universities, return_index=True)
            firsts.sort()
            chosen = order[firsts[:limit]]
            # Other disciplines of the universities shown: named when they match the need's
            # codes, or its text half as well as the best.
            flagged = np.zeros(int(self.university_ids.max()) + 1, dtype=bool)
            flagged[self.university_ids[chosen]] = True
            members = ordered(np.flatnonzero(flagged[self.university_ids] & mask))
            named = members[
                ~np.isin(members, chosen)
                & ((discipline_value[members] == 1.0) | (text_value[members] >= ALSO_TEXT))
            ]
            for doc in named.tolist():
                profile = self.profiles[doc]
                label = f"{profile.discipline_code} {profile.discipline}".strip()
                labels = others.setdefault(profile.university_key, [])
                if label not in labels:
                    labels.append(label)
        else:
            chosen = ordered(_pool(score, mask, limit))[:limit]
        docs = chosen.tolist()
        rounded = _round(score[chosen]).tolist()
        matching = [doc for doc in docs if text_value[doc] > 0]
        matched = dict(zip(matching, self.index.matched_many(known, matching), strict=True))
        items = tuple(
            self._explain(
                rank=rank,
                doc=doc,
                score=rounded[rank - 1],
                values=(
                    float(text_value[doc]),
                    float(discipline_value[doc]),
                    float(province_value[doc]),
                    float(cooperation_value[doc]),
                ),
                count=int(counts[doc]),
                matched=tuple(matched.get(doc, ())),
                codes=codes,
                context=context,
                weights=weights,
                also=tuple(others.get(self.profiles[doc].university_key, ())),
            )
            for rank, doc in enumerate(docs, 1)
        )
        return Outcome(items, terms, unknown)

    def fit(
        self, need: Need, context: Context, university_key: str, **kwargs: Any
    ) -> Recommendation | None:
        """How ``need`` ranks the university ``university_key`` (None when not a candidate)."""
        outcome = self.recommend(need, context, top=None, **kwargs)
        return next((r for r in outcome.items if r.profile.university_key == university_key), None)

    def fit_profile(
        self, need: Need, context: Context, key: str, **kwargs: Any
    ) -> Recommendation | None:
        """How ``need`` ranks the profile ``key`` (e.g. an expert); None when not a candidate."""
        outcome = self.recommend(need, context, top=None, per_university=False, **kwargs)
        return next((r for r in outcome.items if r.profile.key == key), None)

    def _explain(
        self,
        *,
        rank: int,
        doc: int,
        score: float,
        values: tuple[float, float, float, float],
        count: int,
        matched: tuple[str, ...],
        codes: tuple[str, ...],
        context: Context,
        weights: Weights,
        also: tuple[str, ...],
    ) -> Recommendation:
        profile = self.profiles[doc]
        text_value, discipline_value, province_value, cooperation_value = values
        names = context.discipline_names
        text_reason = f"需求关键词命中：{'、'.join(matched)}" if matched else ""
        if discipline_value == 1.0:
            discipline_reason = "学科对口：" + "、".join(
                f"{c} {names.get(c) or (profile.discipline if c == profile.discipline_code else '')}".strip()
                for c in profile.codes
                if c in codes
            )
        elif discipline_value > 0:
            category = next(c[:2] for c in profile.codes if any(c[:2] == k[:2] for k in codes))
            discipline_reason = f"同属学科门类：{category} {names.get(category, '')}".strip()
        else:
            discipline_reason = ""
        bits = []
        if profile.grade:
            bits.append(f"第四轮学科评估 {profile.grade}")
        if profile.dfc_2022:
            bits.append("“双一流”建设学科（2022）")
        elif profile.dfc_2017:
            bits.append("“双一流”建设学科（2017）")
        strength_reason = f"{profile.discipline}：{'，'.join(bits)}" if bits else ""
        province_reason = f"{profile.province}高校（省校合作优先）" if province_value else ""
        who = "本人" if profile.kind == "expert" else "该校"
        cooperation_reason = f"{who}与本地已有 {count} 项合作" if count else ""
        parts = (
            _part("text", "文本相关", text_value, weights.text, text_reason),
            _part(
                "discipline", "学科匹配", discipline_value, weights.discipline, discipline_reason
            ),
            _part("strength", "学科实力", profile.strength, weights.strength, strength_reason),
            _part("province", "省内优先", province_value, weights.province, province_reason),
            _part(
                "cooperation",
                "合作基础",
                cooperation_value,
                weights.cooperation,
                cooperation_reason,
            ),
        )
        return Recommendation(
            profile=profile,
            score=score,
            parts=parts,
            matched_terms=matched,
            distance_km=context.distances_km.get(profile.university_key),
            cooperation_count=count,
            rank=rank,
            also=also,
        )


ROUNDING = 2 * 10.0**-PLACES  # more than twice the most that rounding moves a score


def _pool(
    score: npt.NDArray[np.float64],
    mask: npt.NDArray[np.bool_],
    limit: int,
    groups: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.intp]:
    """The candidates (``mask``) that may be among the first ``limit`` (with ``groups``: that
    may be the best of one of the first ``limit`` groups), by score rounded as shown.

    A threshold ``t`` is guessed from an evenly spaced sample of the scores, and kept when at
    least ``limit`` candidates (or candidates of ``limit`` groups) score ``t`` or more. The
    pool is every candidate scoring at least ``t − ROUNDING``: a candidate outside it has a
    rounded score below that of every candidate scoring ``t`` or more, so it comes after all
    of them, and so after the first ``limit`` (groups). Sorted, the pool is in the order of
    all the candidates as far as the first ``limit`` go. All the candidates when there are
    too few."""
    n = len(score)
    candidates = int(np.count_nonzero(mask))
    if limit >= candidates:
        return np.flatnonzero(mask)
    step = max(1, n // 1024)
    sample = np.where(mask[::step], score[::step], -np.inf)
    want = max(64, 4 * limit)
    while want < candidates:
        rank = min(len(sample), -(-want // step))
        threshold = float(np.partition(sample, len(sample) - rank)[len(sample) - rank])
        if threshold == -np.inf:
            break
        core = np.flatnonzero(mask & (score >= threshold))
        if len(core) >= limit and (groups is None or len(np.unique(groups[core])) >= limit):
            return np.flatnonzero(mask & (score >= threshold - ROUNDING))
        want *= 4
    return np.flatnonzero(mask)


def _round(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``round(x, PLACES)`` of every value, exactly as Python rounds the score shown (numpy's
    rounding differs on values a hair from a half; those few are rounded by Python)."""
    scaled = values * 10**PLACES
    rounded = np.round(values, PLACES)
    close = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in close.tolist():
        rounded[i] = round(float(values[i]), PLACES)
    return rounded


def _part(name: str, label: str, value: float, weight: float, reason: str) -> Part:
    return Part(name, label, value, weight, value * weight, reason)


def _nothing(
    need: Need, unknown: tuple[str, ...], excluded_by_degree: int, excluded_by_scope: int = 0
) -> str:
    if excluded_by_scope and not excluded_by_degree:
        return "相关的高校或专家都不在您可以查看的范围内"
    if excluded_by_degree:
        label = DEGREE_LABELS.get(need.degree, need.degree)
        return f"相关的高校学科都不能培养{label}，请放宽学历要求"
    if unknown:
        return (
            f"没有找到相关的高校或专家：需求中的“{'、'.join(unknown[:8])}”在高校学科和专家画像中都没有出现，"
            "请换用专业术语、产品名称，或填写学科代码"
        )
    if need.discipline_codes:
        return f"没有找到学科 {'、'.join(need.discipline_codes)} 的高校或专家"
    return "需求描述中没有可用于检索的词语，请写明岗位、技术方向或产品"
