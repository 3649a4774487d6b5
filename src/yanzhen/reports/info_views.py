"""Pages of 信息报送: the list of 工作信息 (filtered, exported, in the reader's scope), submit and
edit with photos, adopt into a 工作简报 issue or return with a comment, the photos, and the
record of outgoing 专报."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html

from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import VersionField, apply_domain_error, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Action, Col, TablePage, form_view, render_table, require_perm, url
from yanzhen.core.uploads import RefusedUpload, check_upload
from yanzhen.reports import info
from yanzhen.reports.info import InfoData, InfoFilters, OutgoingFilters, Photo
from yanzhen.reports.models import Briefing, InfoState, OutgoingReport, WorkInfo

IMAGE_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (each bounded again by :func:`info.check_photo`)."""

    def __init__(self, **kwargs: Any) -> None:
        count, size, _ = info.photo_limits()
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", f"JPEG 或 PNG，最多 {count} 张，每张不超过 {size // info.MB} MB"
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Photo]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        out = []
        for upload in files:
            if not isinstance(upload, UploadedFile):
                continue
            if isinstance(upload, RefusedUpload):
                raise forms.ValidationError(upload.reason, code="upload_refused")
            try:
                check_upload(upload, field="photos")
            except DomainError as error:
                raise forms.ValidationError(error.message, code="upload_refused") from None
            out.append(Photo(upload.name or "photo", upload.read()))
        return out


class InfoForm(forms.Form):
    title = forms.CharField(label="标题", max_length=info.TITLE_MAX)
    text = forms.CharField(label="正文", max_length=info.TEXT_MAX, widget=forms.Textarea)
    date = forms.DateField(label="信息日期", widget=forms.DateInput(attrs={"type": "date"}))
    base = forms.ModelChoiceField(
        label="所属基地",
        queryset=Briefing.objects.none(),
        required=False,
        empty_label="（不属于基地）",
    )
    photos = PhotosField(label="图片")
    version = VersionField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        base = self.fields["base"]
        assert isinstance(base, forms.ModelChoiceField)
        base.queryset = base_qs(user).order_by("code")

    def data_of(self) -> InfoData:
        c = self.cleaned_data
        return InfoData(title=c["title"], text=c["text"], date=c["date"], base=c["base"])


class AdoptForm(forms.Form):
    briefing = forms.ModelChoiceField(label="采用到", queryset=Briefing.objects.none())
    comment = forms.CharField(label="意见", max_length=info.COMMENT_MAX, required=False)
    version = VersionField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["briefing"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = info.bulletins(user)
        field.label_from_instance = _issue_label  # type: ignore[method-assign]


def _issue_label(obj: Any) -> str:
    return f"{obj.masthead} 第{obj.issue}期 · {obj.title}"


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", max_length=info.COMMENT_MAX)
    version = VersionField()


class OutgoingForm(forms.Form):
    briefing = forms.ModelChoiceField(label="报送期次", queryset=Briefing.objects.none())
    recipient = forms.CharField(label="报送对象", max_length=200)
    sent_on = forms.DateField(label="报送日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["briefing"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = info.briefings(user)


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if value else None


def _issue(i: WorkInfo) -> str | None:
    return f"{i.briefing.masthead}第{i.briefing.issue}期" if i.briefing else None


def info_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reports.view_workinfo")
    user = request.user
    form = filter_form(InfoFilters)(request.GET or None, user=user)
    rows = info.info_list(user=user, filters=form.filters())
    actions = []
    if user.has_perm("reports.add_workinfo") and user.unit_id is not None:
        actions.append(Action("报送信息", url("reports:info_new"), primary=True))
    if user.has_perm("reports.view_outgoingreport"):
        actions.append(Action("专报报送记录", url("reports:outgoing_list"), secondary=True))
    page: TablePage[WorkInfo] = TablePage(
        title="信息报送",
        columns=[
            Col("信息日期", lambda i: i.date, width=12, sort="date"),
            Col(
                "标题",
                lambda i: i.title,
                html=lambda i: format_html(
                    '<a href="{}">{}</a>', url("reports:info_detail", i.pk), i.title
                ),
                width=40,
            ),
            Col("报送单位", lambda i: i.unit.name, width=20),
            Col("所属基地", lambda i: i.base.name if i.base else None, width=20),
            Col("状态", lambda i: i.get_state_display(), width=8),
            Col("采用期次", _issue, width=20),
            Col("采用日期", lambda i: i.adopted_on, width=12, sort="adopted_on"),
            Col("报送人", lambda i: str(i.submitted_by), width=12),
        ],
        rows=rows,
        form=form,
        actions=actions,
    )
    return render_table(request, page)


def _photos(form: InfoForm) -> list[Photo]:
    photos: list[Photo] = form.cleaned_data.get("photos") or []
    return photos


def info_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reports.add_workinfo")
    user = request.user
    form = InfoForm(request.POST or None, request.FILES or None, user=user)
    return form_view(
        request,
        form,
        lambda: info.info_submit(actor=user, data=form.data_of(), photos=_photos(form)),
        lambda i: redirect("reports:info_detail", pk=i.pk),
        "已报送",
        title="报送工作信息",
        back=url("reports:info_list"),
        submit_label="报送",
        intro=f"报送单位：{user.unit.name if user.unit else '（未关联单位）'}",
    )


def info_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = info.info_get(user, pk)
    if not info.may_edit(user, item):
        raise Http404
    initial = {"title": item.title, "text": item.text, "date": item.date,
               "base": item.base_id, "version": item.version}  # fmt: skip
    form = InfoForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    return form_view(
        request,
        form,
        lambda: info.info_update(
            actor=user,
            info=item,
            data=form.data_of(),
            version=edited_version(form),
            photos=_photos(form),
        ),
        lambda i: redirect("reports:info_detail", pk=i.pk),
        title=f"修改工作信息：{item.title}",
        back=url("reports:info_detail", item.pk),
        intro="退回的信息修改后将重新报送。" if item.state == InfoState.RETURNED else "",
    )


def info_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "reports.view_workinfo")
    user = request.user
    item = info.info_get(user, pk)
    deciding = item.state == InfoState.SUBMITTED and user.has_perm("reports.adopt_workinfo")
    context = {
        "item": item,
        "photos": list(item.photos.all()),
        "may_edit": info.may_edit(user, item),
        "adopt_form": AdoptForm(user=user, initial={"version": item.version}) if deciding else None,
        "return_form": ReturnForm(initial={"version": item.version}) if deciding else None,
    }
    return render(request, "reports/info_detail.html", context)


def _decide(request: AuthenticatedHttpRequest, pk: int, adopt: bool) -> HttpResponse:
    require_perm(request, "reports.adopt_workinfo")
    user = request.user
    item = info.info_get(user, pk)
    if request.method != "POST":
        return redirect("reports:info_detail", pk=item.pk)
    form: forms.Form = AdoptForm(request.POST, user=user) if adopt else ReturnForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            if adopt:
                info.info_adopt(actor=user, info=item, briefing=c["briefing"],
                                comment=c["comment"], version=edited_version(form))  # fmt: skip
            else:
                info.info_return(
                    actor=user, info=item, comment=c["comment"], version=edited_version(form)
                )
        except DomainError as error:
            if error.status == 403:
                raise PermissionDenied(error.message) from error
            apply_domain_error(form, error)
        else:
            messages.success(request, "已采用" if adopt else "已退回")
            return redirect("reports:info_detail", pk=item.pk)
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, str(text))
    return redirect("reports:info_detail", pk=item.pk)


def info_adopt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, adopt=True)


def info_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, adopt=False)


def info_photo(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "reports.view_workinfo")
    photo = info.photo_get(request.user, pk)
    suffix = "." + (photo.image.name or "").rsplit(".", 1)[-1].lower()
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=IMAGE_TYPES.get(suffix, "application/octet-stream")
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def outgoing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reports.view_outgoingreport")
    user = request.user
    form = filter_form(OutgoingFilters)(request.GET or None, user=user)
    rows = info.outgoing_list(user=user, filters=form.filters())
    actions = []
    if user.has_perm("reports.add_outgoingreport"):
        actions.append(Action("登记专报", url("reports:outgoing_new"), primary=True))
    page: TablePage[OutgoingReport] = TablePage(
        title="专报报送记录",
        columns=[
            Col("报送日期", lambda r: r.sent_on, width=12, sort="sent_on"),
            Col(
                "报送期次",
                lambda r: r.briefing.title,
                html=lambda r: format_html(
                    '<a href="{}">{}</a>',
                    url("reports:briefing_detail", r.briefing_id),
                    r.briefing.title,
                ),
                width=40,
            ),
            Col("期号", lambda r: r.briefing.issue, width=8),
            Col("报送对象", lambda r: r.recipient, width=30),
            Col("报送单位", lambda r: r.unit.name, width=20),
            Col("备注", lambda r: r.note or None, width=30),
        ],
        rows=rows,
        form=form,
        actions=actions,
    )
    return render_table(request, page)


def outgoing_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reports.add_outgoingreport")
    user = request.user
    form = OutgoingForm(request.POST or None, user=user)
    return form_view(
        request,
        form,
        lambda: info.outgoing_report_create(actor=user, **form.cleaned_data),
        lambda r: redirect("reports:outgoing_list"),
        "已登记",
        title="登记专报报送",
        back=url("reports:outgoing_list"),
    )
