"""Access rules of the cooperation app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "cooperation:cooperation_trash": "list",
    "cooperation:cooperation_restore": "object:deleted",
    "cooperation:cooperation_revert": "object:cooperation:version",
    "cooperation:cooperation_list": "list",
    "cooperation:cooperation_new": "create",
    "cooperation:cooperation_detail": "object:cooperation",
    "cooperation:cooperation_edit": "object:cooperation",
    "cooperation:cooperation_move": "object:cooperation",
    "cooperation:cooperation_delete": "object:cooperation",
    "cooperation:attachment_new": "object:cooperation",
    "cooperation:attachment_download": "object:attachment",
    "cooperation:evidence_download": "object:evidence",
    "cooperation:partner_list": "list",
    "cooperation:import_upload": "create",
    "cooperation:import_template": "create",
    "cooperation:import_confirm": "create",
    "cooperation:base_list": "list",
    "cooperation:base_type_list": "list",
    "cooperation:base_type_new": "global",
    "cooperation:base_type_edit": "global:base_type",
    "cooperation:base_new": "create",
    "cooperation:base_options": "list",
    "cooperation:cooperation_options": "list",
    "cooperation:base_detail": "object:base",
    "cooperation:base_edit": "object:base",
    "cooperation:base_member_add": "object:base",
    "cooperation:base_member_remove": "object:base:member",
    "cooperation:activity_list": "list",
    "cooperation:activity_create": "create",
    "cooperation:activity_detail": "object:activity",
    "cooperation:activity_edit": "object:activity",
    "cooperation:activity_delete": "object:activity",
    "cooperation:activity_trash": "list",
    "cooperation:activity_restore": "object:deleted_activity",
    "cooperation:activity_revert": "object:activity:version",
    "cooperation:activity_attachment_add": "object:activity",
    "cooperation:activity_attachment_download": "object:activity_attachment",
    "cooperation:secondment_list": "list",
    "cooperation:secondment_create": "create",
    "cooperation:secondment_detail": "object:secondment",
    "cooperation:secondment_edit": "object:secondment",
    "cooperation:secondment_delete": "object:secondment",
    "cooperation:secondment_trash": "list",
    "cooperation:secondment_restore": "object:deleted_secondment",
    "cooperation:secondment_revert": "object:secondment:version",
    "api:list_cooperations": "list",
    "api:create_cooperation": "create",
    "api:get_cooperation": "object:cooperation",
    "api:update_cooperation": "object:cooperation",
    "api:move_cooperation": "object:cooperation",
    "api:list_bases": "list",
    "api:get_base": "object:base",
    "api:list_activities": "list",
    "api:create_activity": "create",
    "api:get_activity": "object:activity",
    "api:update_activity": "object:activity",
    "api:list_secondments": "list",
    "api:list_follow_ups": "list",
    "api:create_follow_up": "create",
    "cooperation:followup_list": "list",
    "cooperation:followup_new": "create",
    "api:create_secondment": "create",
    "api:get_secondment": "object:secondment",
    "api:update_secondment": "object:secondment",
}


def object_ids() -> dict[str, int]:
    from django.core.files.base import ContentFile

    from yanzhen.cooperation.models import (
        Activity,
        ActivityAttachment,
        Attachment,
        Base,
        BaseType,
        Cooperation,
        Secondment,
        StageEvent,
        TaskForceMember,
    )

    cooperation = Cooperation.objects.order_by("pk")[0]
    attachment = Attachment.objects.create(
        cooperation=cooperation, title="协议扫描件", file=ContentFile(b"%PDF-1.4", name="x.pdf")
    )
    event = StageEvent.objects.filter(cooperation=cooperation)[0]
    event.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4"))
    base = Base.objects.order_by("pk")[0]
    from yanzhen.cooperation.services import activities, cooperation_delete, secondments

    deleted = Cooperation.objects.order_by("-pk")[0]
    cooperation_delete(actor=None, cooperation=deleted)
    activity = Activity.objects.order_by("pk")[0]
    activity_file = ActivityAttachment.objects.create(
        activity=activity, title="会议通知", file=ContentFile(b"%PDF-1.4", name="n.pdf")
    )
    deleted_activity = Activity.objects.order_by("-pk")[0]
    activities.activity_delete(actor=None, activity=deleted_activity)
    secondment = Secondment.objects.order_by("pk")[0]
    deleted_secondment = secondments.secondment_create(
        actor=None,
        data=secondments.SecondmentData(
            person=secondment.person,
            university=secondment.university,
            host_unit=secondment.host_unit,
            post="已删除的挂职",
            start_date=secondment.start_date.replace(year=secondment.start_date.year - 1),
        ),
    )
    secondments.secondment_delete(actor=None, secondment=deleted_secondment)
    return {
        "deleted": deleted.pk,
        "cooperation": cooperation.pk,
        "attachment": attachment.pk,
        "evidence": event.pk,
        "base": base.pk,
        "base_type": BaseType.objects.order_by("pk")[0].pk,
        "member": TaskForceMember.objects.filter(base=base)[0].pk,
        "activity": activity.pk,
        "activity_attachment": activity_file.pk,
        "deleted_activity": deleted_activity.pk,
        "secondment": secondment.pk,
        "deleted_secondment": deleted_secondment.pk,
    }
