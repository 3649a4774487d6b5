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
    "cooperation:secondment_list": "list",
    "cooperation:secondment_create": "create",
    "cooperation:secondment_detail": "object:secondment",
    "cooperation:secondment_edit": "object:secondment",
    "api:list_cooperations": "list",
    "api:create_cooperation": "create",
    "api:get_cooperation": "object:cooperation",
    "api:update_cooperation": "object:cooperation",
    "api:move_cooperation": "object:cooperation",
    "api:list_bases": "list",
    "api:get_base": "object:base",
}


def object_ids() -> dict[str, int]:
    from django.core.files.base import ContentFile

    from yanzhen.cooperation.models import (
        Activity,
        Attachment,
        Base,
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
    from yanzhen.cooperation.services import cooperation_delete

    deleted = Cooperation.objects.order_by("-pk")[0]
    cooperation_delete(actor=None, cooperation=deleted)
    return {
        "deleted": deleted.pk,
        "cooperation": cooperation.pk,
        "attachment": attachment.pk,
        "evidence": event.pk,
        "base": base.pk,
        "member": TaskForceMember.objects.filter(base=base)[0].pk,
        "activity": Activity.objects.order_by("pk")[0].pk,
        "secondment": Secondment.objects.order_by("pk")[0].pk,
    }
