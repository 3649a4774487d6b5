"""Loading the real reference files: exact counts, idempotence, all-or-nothing on bad input."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

import pytest
from django.db.models import Count

from yanzhen.core.errors import DomainError
from yanzhen.reference.loaders import (
    ALIASES_CSV,
    LoadResult,
    ReferenceFileError,
    load_aliases,
    load_dfc,
    load_disciplines,
    load_divisions,
    load_evaluation,
    load_industries,
    load_local_industries,
    load_reference,
    load_universities,
    read_universities_csv,
    read_universities_xls,
)
from yanzhen.reference.models import (
    DfcDiscipline,
    Discipline,
    DisciplineEvaluation,
    Division,
    Industry,
    LocalIndustry,
    University,
    UniversityAlias,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded")]

HAINAN_NOTE = (
    "moe_2025-06-20_regular_W020250627301230138068.xls：海南省标题为 27 所，实际列出 28 所"
)


code = attrgetter("code")


def counts(result: LoadResult) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def ancestors(code: str) -> list[str]:
    parents = dict(Industry.objects.values_list("code", "parent__code"))
    chain = []
    while parent := parents[code]:
        chain.append(parent)
        code = parent
    return chain


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the first load -------------------------------------------------------------------------


def test_it_loads_every_school_of_the_moe_csv(loaded: dict[str, LoadResult]) -> None:
    assert counts(loaded["universities"]) == (3167, 0, 0)
    assert loaded["universities"].problems == []
    assert University.objects.count() == 3167
    assert dict(Counter(University.objects.values_list("category", flat=True))) == {
        "regular": 2919,
        "adult": 248,
    }
    assert dict(Counter(University.objects.values_list("level", flat=True))) == {
        "本科": 1365,
        "专科": 1554,
        "成人": 248,
    }
    assert University.objects.filter(is_985=True).count() == 38
    assert University.objects.filter(is_211=True).count() == 112
    assert University.objects.filter(is_dfc=True).count() == 144


def test_each_school_gets_its_pinyin_and_initials() -> None:
    school = University.objects.get(code="4114010110")
    assert (school.name, school.province, school.city, school.authority, school.level) == (
        "中北大学",
        "山西省",
        "太原市",
        "山西省",
        "本科",
    )
    assert (school.pinyin, school.initials) == ("zhongbeidaxue", "zbdx")
    assert University.objects.filter(pinyin="").count() == 0
    branch = University.objects.get(name="中国矿业大学（北京）")
    assert branch.initials == "zgkydx(bj)"


def test_it_loads_14_categories_and_117_first_level_disciplines(
    loaded: dict[str, LoadResult],
) -> None:
    assert counts(loaded["disciplines"]) == (131, 0, 0)
    assert Discipline.objects.filter(parent__isnull=True).count() == 14
    assert Discipline.objects.filter(parent__isnull=False).count() == 117
    electrical = Discipline.objects.get(code="0808")
    assert (electrical.name, electrical.parent_id) == (
        "电气工程",
        Discipline.objects.get(code="08").pk,
    )
    assert Discipline.objects.get(code="08").name == "工学"
    assert Discipline.objects.get(code="08").children.count() == 38


def test_it_loads_gbt4754_with_its_four_levels(loaded: dict[str, LoadResult]) -> None:
    assert counts(loaded["industries"]) == (1971, 0, 0)
    by_level = dict(Industry.objects.values_list("level").annotate(n=Count("pk")))
    assert by_level == {"section": 20, "division": 97, "group": 473, "class": 1381}
    assert Industry.objects.get(code="3741").name == "飞机制造"
    assert ancestors("3741") == ["374", "37", "C"]
    assert Industry.objects.filter(level="section", parent__isnull=False).count() == 0
    assert Industry.objects.filter(level="class", parent__level="group").count() == 1381


def test_it_loads_all_divisions_down_to_townships(loaded: dict[str, LoadResult]) -> None:
    assert counts(loaded["divisions"]) == (41934, 0, 0)
    by_level = dict(Division.objects.values_list("level").annotate(n=Count("pk")))
    # Level 5 and three level-4 statistical units: Yongji's own list (NBS 2021), loaded after.
    assert by_level == {1: 33, 2: 333, 3: 2845, 4: 38726, 5: 220}
    yongji = Division.objects.get(code="140881")
    assert (yongji.name, yongji.level, yongji.parent_code) == ("永济市", 3, "140800")
    assert Division.objects.filter(parent_code="140881").count() == 13


def test_the_package_gives_the_same_divisions_as_the_csv() -> None:
    result = load_divisions()
    assert counts(result) == (0, 0, 41934)


def test_it_loads_the_2022_dfc_list_and_reports_the_military_schools(
    loaded: dict[str, LoadResult],
) -> None:
    result = loaded["dfc2022"]
    assert counts(result) == (428, 0, 0)
    assert result.problems == [
        "double_first_class_2022.csv 第 430、431、432、433、434 行：高校名单中没有“国防科技大学”，未导入",
        "double_first_class_2022.csv 第 435 行：高校名单中没有“海军军医大学”，未导入",
        "double_first_class_2022.csv 第 436 行：高校名单中没有“空军军医大学”，未导入",
    ]
    xjtu = DfcDiscipline.objects.filter(university__name="西安交通大学", round=2022)
    assert sorted(xjtu.values_list("discipline__code", "discipline_name")) == [
        ("0801", "力学"),
        ("0802", "机械工程"),
        ("0805", "材料科学与工程"),
        ("0807", "动力工程及工程热物理"),
        ("0808", "电气工程"),
        ("0811", "控制科学与工程"),
        ("1201", "管理科学与工程"),
        ("1202", "工商管理"),
    ]
    peking = DfcDiscipline.objects.get(university__name="北京大学", round=2022)
    assert (peking.discipline_name, peking.note) == ("", "自主确定建设学科并自行公布")
    # 1302–1305 and 0834 are not in the 2022 catalogue: kept by name, not linked.
    assert DfcDiscipline.objects.filter(round=2022, discipline__isnull=True).count() == 15


def test_it_loads_the_2017_dfc_list_by_exact_name_only(loaded: dict[str, LoadResult]) -> None:
    result = loaded["dfc2017"]
    assert counts(result) == (457, 0, 0)
    assert result.problems == [
        "double_first_class_2017_round1.csv 第 252 行：高校名单中没有“上海体育学院”，未导入",
        "double_first_class_2017_round1.csv 第 460、461、462、463、464 行：高校名单中没有“国防科技大学”，未导入",
        "double_first_class_2017_round1.csv 第 465 行：高校名单中没有“第二军医大学”，未导入",
        "double_first_class_2017_round1.csv 第 466 行：高校名单中没有“第四军医大学”，未导入",
    ]
    assert DfcDiscipline.objects.filter(
        round=2017, university__name="西安交通大学", discipline_name="电气工程"
    ).exists()


def test_it_loads_the_evaluation_and_keeps_units_that_are_no_school(
    loaded: dict[str, LoadResult],
) -> None:
    result = loaded["evaluation"]
    assert counts(result) == (5212, 0, 0)
    assert result.problems == [
        "discipline_evaluation_round4_2017.csv：28 个参评单位（193 条结果）不在高校名单中，"
        "已导入但未关联高校"
    ]
    grade = DisciplineEvaluation.objects.get(
        university__name="西安交通大学", discipline_code="0808"
    )
    assert (grade.grade, grade.discipline_name) == ("A+", "电气工程")
    assert grade.discipline_id == Discipline.objects.get(code="0808").pk
    assert DisciplineEvaluation.objects.filter(university__isnull=True).count() == 193
    assert (
        DisciplineEvaluation.objects.filter(
            school_name="中国地质大学", university__isnull=True
        ).count()
        == 29
    )


def test_it_loads_our_aliases_including_ambiguous_ones(loaded: dict[str, LoadResult]) -> None:
    assert counts(loaded["aliases"]) == (106, 0, 0)
    assert loaded["aliases"].problems == []
    assert sorted(
        UniversityAlias.objects.filter(alias="山大").values_list("university__name", flat=True)
    ) == ["山东大学", "山西大学"]
    assert set(
        UniversityAlias.objects.filter(university__name="西安交通大学").values_list(
            "alias", flat=True
        )
    ) == {"西交大", "西安交大", "西交"}


def test_it_loads_the_yongji_industries_with_their_gbt_codes(
    loaded: dict[str, LoadResult],
) -> None:
    assert counts(loaded["local_industries"]) == (16, 0, 0)
    assert dict(LocalIndustry.objects.values_list("group").annotate(n=Count("pk"))) == {
        "leading": 11,
        "agriculture": 4,
        "culture": 1,
    }
    motors = LocalIndustry.objects.get(code="YJ-L01")
    assert motors.name == "电机电器与轨道交通装备"
    assert sorted(motors.industries.values_list("code", flat=True)) == ["371", "3720", "381", "382"]


# --- a second load ----------------------------------------------------------------------------


def test_loading_everything_again_changes_nothing(reference_dir: Path) -> None:
    results = load_reference(reference_dir)
    assert {key: counts(result) for key, result in results.items()} == {
        "universities": (0, 0, 3167),
        "disciplines": (0, 0, 131),
        "dfc2022": (0, 0, 428),
        "dfc2017": (0, 0, 457),
        "evaluation": (0, 0, 5212),
        "majors": (0, 0, 883),
        "industries": (0, 0, 1971),
        "divisions": (0, 0, 41934),
        "villages": (0, 0, 233),
        "aliases": (0, 0, 106),
        "local_industries": (0, 0, 16),
    }


def test_a_changed_row_is_updated_and_nothing_else(reference_dir: Path) -> None:
    University.objects.filter(code="4114010110").update(name="中北大学（旧）", city="")
    result = load_universities([reference_dir / "universities_moe_2025.csv"])
    assert counts(result) == (0, 1, 3166)
    school = University.objects.get(code="4114010110")
    assert (school.name, school.city, school.initials) == ("中北大学", "太原市", "zbdx")


# --- the MoE spreadsheets -------------------------------------------------------------------


def test_the_moe_spreadsheets_give_the_same_schools_as_the_csv(
    reference_dir: Path, regular_xls: Path, adult_xls: Path
) -> None:
    regular = read_universities_xls(regular_xls)
    adult = read_universities_xls(adult_xls)
    assert (len(regular.records), len(adult.records)) == (2919, 248)
    assert regular.notes == [HAINAN_NOTE]
    assert adult.notes == []
    from_csv = read_universities_csv(reference_dir / "universities_moe_2025.csv").records
    assert {r.code for r in regular.records} == {
        r.code for r in from_csv if r.category == "regular"
    }
    assert {r.code for r in adult.records} == {r.code for r in from_csv if r.category == "adult"}
    # Field by field the same, apart from the flags that only the CSV carries.
    unflagged = sorted((replace(r, source="", row=0, flags=None) for r in from_csv), key=code)
    from_xls = sorted(
        (replace(r, source="", row=0) for r in regular.records + adult.records), key=code
    )
    assert from_xls == unflagged


def test_loading_the_spreadsheets_over_the_csv_keeps_the_flags(
    regular_xls: Path, adult_xls: Path
) -> None:
    result = load_universities([regular_xls, adult_xls])
    assert counts(result) == (0, 0, 3167)
    assert result.problems == [HAINAN_NOTE]
    assert University.objects.filter(is_985=True).count() == 38
    assert University.objects.filter(is_211=True).count() == 112


def test_the_spreadsheets_alone_load_2919_regular_and_248_adult_schools(
    reference_dir: Path, regular_xls: Path, adult_xls: Path
) -> None:
    University.objects.all().delete()
    result = load_universities([regular_xls, adult_xls])
    assert counts(result) == (3167, 0, 0)
    assert dict(Counter(University.objects.values_list("category", flat=True))) == {
        "regular": 2919,
        "adult": 248,
    }
    assert University.objects.filter(is_985=True).count() == 0
    csv_codes = {
        r.code for r in read_universities_csv(reference_dir / "universities_moe_2025.csv").records
    }
    assert set(University.objects.values_list("code", flat=True)) == csv_codes
    # The CSV then adds the flags of the 144 flagged schools and changes nothing else.
    flagged = load_universities([reference_dir / "universities_moe_2025.csv"])
    assert counts(flagged) == (0, 144, 3023)


def test_a_small_spreadsheet_is_read_province_by_province(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["全国普通高等学校名单"])
    sheet.append(["序号", "学校名称", "学校标识码", "主管部门", "所在地", "办学层次", "备注"])
    sheet.append(["山西省（2所）"])
    sheet.append([1, "甲测试学院", 4114099991, "山西省", "运城市", "本科", ""])
    sheet.append([2, " 乙测试职业学院 ", "4114099992", "山西省", "永济市", "专科", "民办"])
    sheet.append(["陕西省（1所）"])
    sheet.append([3, "丙测试学院", 4161099993, "陕西省", "西安市", "本科", ""])
    path = tmp_path / "list.xlsx"
    book.save(path)
    schools = read_universities_xls(path)
    assert [
        (r.row, r.code, r.name, r.province, r.city, r.level, r.remark) for r in schools.records
    ] == [
        (4, "4114099991", "甲测试学院", "山西省", "运城市", "本科", ""),
        (5, "4114099992", "乙测试职业学院", "山西省", "永济市", "专科", "民办"),
        (7, "4161099993", "丙测试学院", "陕西省", "西安市", "本科", ""),
    ]
    assert schools.notes == []


# --- malformed input ------------------------------------------------------------------------


def test_a_missing_column_names_the_file_the_header_line_and_the_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "evaluation.csv",
        "discipline_code,discipline_name,school_name,school_name_2025,school_code\n"
        "0808,电气工程,西安交通大学,西安交通大学,4161010698\n",
    )
    before = DisciplineEvaluation.objects.count()
    with pytest.raises(ReferenceFileError) as caught:
        load_evaluation(path)
    assert (caught.value.source, caught.value.row, caught.value.column) == (
        "evaluation.csv",
        1,
        "grade",
    )
    assert caught.value.message == "evaluation.csv 第 1 行“grade”列：缺少此列"
    assert DisciplineEvaluation.objects.count() == before


def test_a_bad_row_names_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    path = write(
        tmp_path / "disciplines.csv",
        "category_code,category_name,code,name\n"
        "# a comment line is skipped\n"
        "99,测试门类,9901,测试学科甲\n"
        "99,测试门类,99X2,测试学科乙\n",
    )
    with pytest.raises(ReferenceFileError) as caught:
        load_disciplines(path)
    assert (
        caught.value.message == "disciplines.csv 第 4 行“code”列：“99X2”不是有效的4 位一级学科代码"
    )
    assert caught.value.fields == {"code": caught.value.message}
    assert not Discipline.objects.filter(code__startswith="99").exists()


def test_a_bad_grade_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "evaluation.csv",
        "discipline_code,discipline_name,school_name,school_name_2025,school_code,grade\n"
        "0808,电气工程,西安交通大学,西安交通大学,4161010698,A+\n"
        "0808,电气工程,清华大学,清华大学,4111010003,A++\n",
    )
    with pytest.raises(
        ReferenceFileError, match="第 3 行“grade”列：“A\\+\\+”不是 A\\+ 至 C- 的评估结果"
    ):
        load_evaluation(path)


def test_a_bad_university_code_is_refused(tmp_path: Path) -> None:
    header = "category,seq,name,code,province,province_code,authority,city,level,remark,is_985,is_211,is_dfc2022\n"
    path = write(
        tmp_path / "universities.csv",
        header
        + "普通高等学校,1,甲测试学院,4114099991,山西省,14,山西省,运城市,本科,,0,0,0\n"
        + "普通高等学校,2,乙测试学院,41140,山西省,14,山西省,运城市,本科,,0,0,0\n",
    )
    with pytest.raises(ReferenceFileError) as caught:
        load_universities([path])
    assert (caught.value.row, caught.value.column) == (3, "code")
    assert not University.objects.filter(name="甲测试学院").exists()


def test_a_failure_in_a_later_file_rolls_back_the_whole_directory(tmp_path: Path) -> None:
    write(
        tmp_path / "universities_test.csv",
        "category,name,code,province,authority,city,level,remark,is_985,is_211,is_dfc2022\n"
        "普通高等学校,甲测试学院,4114099991,山西省,山西省,运城市,本科,,0,0,0\n",
    )
    write(tmp_path / "disciplines_test.csv", "category_code,category_name,code\n01,哲学,0101\n")
    with pytest.raises(
        ReferenceFileError, match=re.escape("disciplines_test.csv 第 1 行“name”列：缺少此列")
    ):
        load_reference(tmp_path)
    assert not University.objects.filter(name="甲测试学院").exists()
    assert University.objects.count() == 3167


def test_a_spreadsheet_without_the_code_column_is_refused(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["全国成人高等学校名单"])
    sheet.append(["序号", "学校名称", "主管部门", "备注"])
    path = tmp_path / "adult.xlsx"
    book.save(path)
    with pytest.raises(ReferenceFileError) as caught:
        read_universities_xls(path)
    assert caught.value.message == "adult.xlsx 第 2 行“学校标识码”列：缺少此列"


def test_an_unknown_dfc_round_is_refused(reference_dir: Path) -> None:
    with pytest.raises(DomainError, match="双一流轮次只能是 2022 或 2017，不能是 2019"):
        load_dfc(reference_dir / "double_first_class_2022.csv", year=2019)


def test_an_unknown_gbt_code_names_the_row_of_the_local_industry(tmp_path: Path) -> None:
    path = write(
        tmp_path / "local.csv",
        "code,name,group,sort_order,gbt_codes\n"
        "T-1,测试产业甲,leading,1,3811\n"
        "T-2,测试产业乙,农产品加工集群,2,1312;9999\n",
    )
    with pytest.raises(ReferenceFileError) as caught:
        load_local_industries(path)
    assert caught.value.message == "local.csv 第 3 行“gbt_codes”列：GB/T 4754-2017 中没有代码 9999"
    assert not LocalIndustry.objects.filter(code__startswith="T-").exists()


def test_local_industries_need_the_gbt_classification_first(tmp_path: Path) -> None:
    LocalIndustry.objects.all().delete()
    Industry.objects.all().delete()
    with pytest.raises(ReferenceFileError, match="国民经济行业分类尚未导入"):
        load_local_industries()
    assert not LocalIndustry.objects.exists()


def test_without_gbt_a_demo_may_load_local_industries_unlinked(reference_dir: Path) -> None:
    LocalIndustry.objects.all().delete()
    Industry.objects.all().delete()
    result = load_local_industries(require_gbt=False)
    assert counts(result) == (16, 0, 0)
    assert result.problems == [
        "local_industries.csv：58 个国民经济行业代码尚未导入，暂未关联"
        "（导入 GB/T 4754-2017 后重新运行 load_local_industries）"
    ]
    assert LocalIndustry.industries.through.objects.count() == 0
    load_industries(reference_dir / "industry_gbt4754_2017.csv")
    assert counts(load_local_industries()) == (0, 16, 0)
    assert LocalIndustry.industries.through.objects.count() == 58


def test_changed_gbt_links_count_as_an_update(tmp_path: Path) -> None:
    path = write(
        tmp_path / "local.csv",
        "code,name,group,sort_order,gbt_codes\nYJ-L02,汽车零部件,leading,2,3670;3660\n",
    )
    assert counts(load_local_industries(path)) == (0, 1, 0)
    parts = LocalIndustry.objects.get(code="YJ-L02")
    assert sorted(parts.industries.values_list("code", flat=True)) == ["3660", "3670"]
    assert counts(load_local_industries()) == (0, 1, 15)
    assert list(parts.industries.values_list("code", flat=True)) == ["3670"]


def test_a_user_alias_file_reports_unknown_schools(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mine.csv",
        "name,alias\n中北大学,中北大\n不存在的大学,不存在\n山西大学,山大\n",
    )
    result = load_aliases(path)
    assert counts(result) == (1, 0, 1)
    assert result.problems == ["mine.csv 第 3 行：高校名单中没有“不存在的大学”，未导入"]
    assert ALIASES_CSV.name == "aliases.csv"


def test_a_text_longer_than_its_field_is_refused(tmp_path: Path) -> None:
    alias = "很长的别名" * 21
    path = write(tmp_path / "mine.csv", f"name,alias\n中北大学,中北大\n中北大学,{alias}\n")
    with pytest.raises(ReferenceFileError) as caught:
        load_aliases(path)
    assert caught.value.message == f"mine.csv 第 3 行“alias”列：“{alias}”超过 100 个字符"
    assert not UniversityAlias.objects.filter(alias="中北大").exists()


def test_an_industry_under_an_unknown_parent_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "industry.csv",
        "level,code,section,parent_code,name,note\n"
        "section,A,A,,农、林、牧、渔业,\n"
        "division,01,A,A,农业,\n"
        "group,011,A,02,谷物种植,\n",
    )
    with pytest.raises(ReferenceFileError) as caught:
        load_industries(path)
    assert caught.value.message == "industry.csv 第 4 行“parent_code”列：“02”不是文件中的大类代码"
