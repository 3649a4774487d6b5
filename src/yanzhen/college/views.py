"""Pages of the training college: colleges with their catalogue and figures, classes,
trainees and certificates, brands and their franchise stores."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.college import selectors, services
from yanzhen.college.forms import (
    BrandForm,
    ClassForm,
    CollegeForm,
    CourseForm,
    EnrolForm,
    EnrolmentMoveForm,
    NameForm,
    StoreForm,
)
from yanzhen.college.models import (
    BrandStore,
    College,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import (
    Action,
    Col,
    Figure,
    TablePage,
    form_view,
    initial_of,
    render_table,
    require_perm,
    url,
)
from yanzhen.core.selectors import active_units
from yanzhen.talent.services.common import person_for


def college_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "college.view_college")
    user = request.user
    form = filter_form(selectors.CollegeFilters)(request.GET or None)
    columns: list[Col[College]] = [
        Col("学院", lambda c: c.name, lambda c: url("talent:college_detail", c.pk), width=26),
        Col("主管单位", lambda c: c.owner_unit.name, width=26),
        Col("成立日期", lambda c: c.established_on, kind="date", width=12),
        Col("专业", lambda c: c.n_majors, kind="int", width=8),  # type: ignore[attr-defined]
        Col(
            "培训班",
            lambda c: c.n_classes,  # type: ignore[attr-defined]
            lambda c: url("talent:class_list", query={"college": str(c.pk)}),
            kind="int",
            width=8,
        ),
    ]
    actions = [
        Action("培训班", url("talent:class_list")),
        Action("学员与证书", url("talent:enrolment_list")),
        Action("品牌门店", url("talent:store_list")),
    ]
    if user.has_perm("college.add_college"):
        actions.insert(0, Action("新增学院", url("talent:college_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="培训学院",
            columns=columns,
            rows=selectors.college_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="talent.export_talent",
        ),
    )


def college_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "college.view_college")
    user = request.user
    college = selectors.college_get(user, pk)
    figures = selectors.catalogue_figures(college)
    tree = selectors.college_catalogue(college)
    brands = selectors.college_brands(college)
    can_change = user.has_perm("college.change_college")
    context = {
        "college": college,
        "figures": [
            Figure("专业", figures.majors),
            Figure("类别", figures.categories),
            Figure("课程", figures.courses),
            Figure(
                "培训班",
                figures.classes,
                url("talent:class_list", query={"college": str(college.pk)}),
            ),
            Figure(
                "学员",
                figures.trainees,
                url("talent:enrolment_list", query={"college": str(college.pk)}),
            ),
            Figure(
                "结业发证",
                figures.certificates,
                url(
                    "talent:enrolment_list",
                    query={"college": str(college.pk), "certified": "1"},
                ),
            ),
            Figure("品牌门店", figures.stores, url("talent:store_list", query={"active": "1"})),
        ],
        "tree": tree,
        "brands": [
            (
                b,
                b.n_open,  # type: ignore[attr-defined]
                url("talent:store_list", query={"brand": str(b.pk), "active": "1"}),
            )
            for b in brands
        ],
        "universities": college.partner_universities.all(),
        "can_change": can_change,
        "can_add_major": user.has_perm("college.add_major"),
        "can_add_category": user.has_perm("college.add_coursecategory"),
        "can_add_course": user.has_perm("college.add_course"),
        "can_add_class": user.has_perm("college.add_trainingclass"),
        "can_add_brand": user.has_perm("college.add_brand"),
        "can_add_store": user.has_perm("college.add_brandstore"),
    }
    return render(request, "college/college_detail.html", context)


def college_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "college.add_college")
    user = request.user
    form = CollegeForm(
        request.POST or None, initial={"owner_unit": user.unit_id}, units=active_units(user)
    )
    return form_view(
        request,
        form,
        lambda: services.college_create(actor=user, **form.cleaned_data),
        lambda c: redirect("talent:college_detail", pk=c.pk),
        title="新增培训学院",
        back=url("talent:college_list"),
    )


def college_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "college.change_college")
    user = request.user
    college = selectors.college_get(user, pk)
    initial = {
        **initial_of(college, "name", "owner_unit", "established_on", "description"),
        "partner_universities": "、".join(u.name for u in college.partner_universities.all()),
    }
    form = CollegeForm(request.POST or None, initial=initial, units=active_units(user))
    return form_view(
        request,
        form,
        lambda: services.college_update(actor=user, college=college, **form.cleaned_data),
        lambda c: redirect("talent:college_detail", pk=c.pk),
        title=f"编辑学院：{college.name}",
        back=url("talent:college_detail", college.pk),
    )


def major_new(request: AuthenticatedHttpRequest, college_pk: int) -> HttpResponse:
    require_perm(request, "college.add_major")
    user = request.user
    college = selectors.college_get(user, college_pk)
    form = NameForm(request.POST or None, initial={"sort_order": college.majors.count() + 1})
    return form_view(
        request,
        form,
        lambda: services.major_create(actor=user, college=college, **form.cleaned_data),
        lambda m: redirect("talent:college_detail", pk=college.pk),
        title=f"{college.name}：新增专业",
        back=url("talent:college_detail", college.pk),
    )


def category_new(request: AuthenticatedHttpRequest, major_pk: int) -> HttpResponse:
    require_perm(request, "college.add_coursecategory")
    user = request.user
    major = selectors.major_get(user, major_pk)
    form = NameForm(request.POST or None, initial={"sort_order": major.categories.count() + 1})
    return form_view(
        request,
        form,
        lambda: services.category_create(actor=user, major=major, **form.cleaned_data),
        lambda c: redirect("talent:college_detail", pk=major.college_id),
        title=f"{major.college.name} · {major.name}：新增类别",
        back=url("talent:college_detail", major.college_id),
    )


def course_new(request: AuthenticatedHttpRequest, category_pk: int) -> HttpResponse:
    require_perm(request, "college.add_course")
    user = request.user
    category = selectors.category_get(user, category_pk)
    form = CourseForm(request.POST or None, initial={"sort_order": category.courses.count() + 1})
    return form_view(
        request,
        form,
        lambda: services.course_create(actor=user, category=category, **form.cleaned_data),
        lambda c: redirect("talent:college_detail", pk=category.major.college_id),
        title=f"{category.major.name} · {category.name}：新增课程",
        back=url("talent:college_detail", category.major.college_id),
    )


# Classes and trainees ------------------------------------------------------------------------


def class_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "college.view_trainingclass")
    user = request.user
    form = filter_form(selectors.ClassFilters)(request.GET or None)
    columns: list[Col[TrainingClass]] = [
        Col("培训班", lambda c: c.name, lambda c: url("talent:class_detail", c.pk), width=30),
        Col("学院", lambda c: c.college.name, width=22),
        Col("专业", lambda c: c.major.name, width=14),
        Col("开班日期", lambda c: c.start_date, kind="date", width=12),
        Col("结业日期", lambda c: c.end_date, kind="date", width=12),
        Col("授课教师", lambda c: c.teachers, width=24),
        Col(
            "学员",
            lambda c: c.n_trainees,  # type: ignore[attr-defined]
            lambda c: url("talent:enrolment_list", query={"training_class": str(c.pk)}),
            kind="int",
            width=8,
        ),
        Col(
            "结业",
            lambda c: c.n_completed,  # type: ignore[attr-defined]
            lambda c: url(
                "talent:enrolment_list",
                query={"training_class": str(c.pk), "status": EnrolmentStatus.COMPLETED},
            ),
            kind="int",
            width=8,
        ),
    ]
    return render_table(
        request,
        TablePage(
            title="培训班",
            columns=columns,
            rows=selectors.class_list(user=user, filters=form.filters()),
            form=form,
            export_perm="talent.export_talent",
        ),
    )


def class_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "college.view_trainingclass")
    user = request.user
    training_class = selectors.class_get(user, pk)
    context = {
        "training_class": training_class,
        "courses": selectors.class_courses(training_class),
        "enrolments": selectors.class_enrolments(training_class),
        "can_change": user.has_perm("college.change_trainingclass"),
        "can_enrol": user.has_perm("college.add_enrolment"),
        "can_move": user.has_perm("college.change_enrolment"),
    }
    return render(request, "college/class_detail.html", context)


def class_new(request: AuthenticatedHttpRequest, college_pk: int) -> HttpResponse:
    require_perm(request, "college.add_trainingclass")
    user = request.user
    college = selectors.college_get(user, college_pk)
    form = ClassForm(
        request.POST or None,
        initial={"capacity": 40},
        majors=selectors.majors_of(college),
        courses=selectors.courses_of(college),
    )
    return form_view(
        request,
        form,
        lambda: services.class_create(actor=user, college=college, **form.cleaned_data),
        lambda c: redirect("talent:class_detail", pk=c.pk),
        title=f"{college.name}：新开培训班",
        back=url("talent:college_detail", college.pk),
    )


def class_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "college.change_trainingclass")
    user = request.user
    training_class = selectors.class_get(user, pk)
    college = training_class.college
    initial = {
        f: getattr(training_class, f)
        for f in ("name", "start_date", "end_date", "teachers", "location", "capacity")
    }
    initial["major"] = training_class.major_id
    initial["courses"] = selectors.class_course_ids(training_class)
    form = ClassForm(
        request.POST or None,
        initial=initial,
        majors=selectors.majors_of(college),
        courses=selectors.courses_of(college),
    )
    return form_view(
        request,
        form,
        lambda: services.class_update(
            actor=user, training_class=training_class, **form.cleaned_data
        ),
        lambda c: redirect("talent:class_detail", pk=c.pk),
        title=f"编辑培训班：{training_class.name}",
        back=url("talent:class_detail", training_class.pk),
    )


def enrolment_new(request: AuthenticatedHttpRequest, class_pk: int) -> HttpResponse:
    require_perm(request, "college.add_enrolment")
    user = request.user
    training_class = selectors.class_get(user, class_pk)
    form = EnrolForm(
        request.POST or None,
        initial={"enrolled_on": timezone.localdate()},
        units=active_units(user),
    )

    def save() -> Enrolment:
        d = form.cleaned_data
        person = person_for(actor=user, unit=d["unit"], **form.person_data())
        return services.enrolment_create(
            actor=user,
            training_class=training_class,
            person=person,
            unit=d["unit"],
            enrolled_on=d["enrolled_on"],
        )

    return form_view(
        request,
        form,
        save,
        lambda e: redirect("talent:class_detail", pk=training_class.pk),
        title=f"学员报名：{training_class.name}",
        back=url("talent:class_detail", training_class.pk),
    )


def enrolment_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "college.change_enrolment")
    user = request.user
    enrolment = selectors.enrolment_get(user, pk)
    form = EnrolmentMoveForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_view(
        request,
        form,
        lambda: services.enrolment_move(actor=user, enrolment=enrolment, **form.cleaned_data),
        lambda e: redirect("talent:class_detail", pk=e.training_class_id),
        title=f"结业或退学：{enrolment.person.name}（{enrolment.training_class.name}）",
        back=url("talent:class_detail", enrolment.training_class_id),
        warnings=[]
        if enrolment.status == EnrolmentStatus.ENROLLED
        else [f"该学员已{enrolment.get_status_display()}"],
    )


def enrolment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "college.view_enrolment")
    user = request.user
    form = filter_form(selectors.EnrolmentFilters)(request.GET or None)
    columns: list[Col[Enrolment]] = [
        Col("学员", lambda e: e.person.name, width=10),
        Col("手机号", lambda e: e.person.mobile, width=14, pii="mobile"),
        Col("所在单位", lambda e: e.unit.name, width=24),
        Col(
            "培训班",
            lambda e: e.training_class.name,
            lambda e: url("talent:class_detail", e.training_class_id),
            width=28,
        ),
        Col("报名日期", lambda e: e.enrolled_on, kind="date", width=12),
        Col("状态", lambda e: e.get_status_display(), width=8),
        Col("结业日期", lambda e: e.completed_on, kind="date", width=12),
        Col("成绩", lambda e: e.score, kind="decimal", width=8),
        Col("证书编号", lambda e: e.certificate_no, width=16),
    ]
    return render_table(
        request,
        TablePage(
            title="学员与证书",
            columns=columns,
            rows=selectors.enrolment_list(user=user, filters=form.filters()),
            form=form,
            export_perm="talent.export_talent",
        ),
    )


# Brands --------------------------------------------------------------------------------------


def brand_new(request: AuthenticatedHttpRequest, college_pk: int) -> HttpResponse:
    require_perm(request, "college.add_brand")
    user = request.user
    college = selectors.college_get(user, college_pk)
    form = BrandForm(request.POST or None, majors=selectors.majors_of(college))
    return form_view(
        request,
        form,
        lambda: services.brand_create(actor=user, college=college, **form.cleaned_data),
        lambda b: redirect("talent:college_detail", pk=college.pk),
        title=f"{college.name}：新增品牌",
        back=url("talent:college_detail", college.pk),
    )


def store_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "college.view_brandstore")
    user = request.user
    form = filter_form(selectors.StoreFilters)(request.GET or None)
    columns: list[Col[BrandStore]] = [
        Col("品牌", lambda s: s.brand.name, width=12),
        Col("门店名称", lambda s: s.name, width=28),
        Col("所在城市", lambda s: s.city, width=12),
        Col("开业日期", lambda s: s.opened_on, kind="date", width=12),
        Col("经营者", lambda s: s.operator, width=12),
        Col("营业中", lambda s: s.is_active, kind="bool", width=8),
        Col(
            "学院",
            lambda s: s.brand.college.name,
            lambda s: url("talent:college_detail", s.brand.college_id),
            width=22,
        ),
    ]
    rows = selectors.store_list(user=user, filters=form.filters())
    return render_table(
        request,
        TablePage(
            title="品牌门店",
            columns=columns,
            rows=rows,
            form=form,
            figures=[Figure("门店数", rows.count())],
            export_perm="talent.export_talent",
        ),
    )


def store_new(request: AuthenticatedHttpRequest, brand_pk: int) -> HttpResponse:
    require_perm(request, "college.add_brandstore")
    user = request.user
    brand = selectors.brand_get(user, brand_pk)
    form = StoreForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    return form_view(
        request,
        form,
        lambda: services.store_create(actor=user, brand=brand, **form.cleaned_data),
        lambda s: redirect(f"{url('talent:store_list')}?brand={brand.pk}"),
        title=f"{brand.name}：新增门店",
        back=url("talent:college_detail", brand.college_id),
    )
