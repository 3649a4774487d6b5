"""Access rules of the portal (see tests/routes/__init__.py). The registration (page and API)
and the activation link are open: whoever registers has no account yet. The halls are lists
scoped like the rest: an internal user of another county sees none of Yongji's needs, of the
results of the organisations Yongji approved, or of its experts; the negotiation threads are
scoped by the enterprise (another county sees none of Yongji's)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "portal:home": "list",
    "portal:register": "public",
    "portal:activate": "public",
    "portal:registration_list": "list",
    "portal:registration_detail": "object:registration",
    "api:create_registration": "public",
    "portal:need_hall": "list",
    "portal:tech_need_detail": "object:tech_need",
    "portal:talent_need_detail": "object:talent_need",
    "portal:result_hall": "list",
    "portal:result_detail": "object:hall_result",
    "portal:expert_directory": "list",
    "portal:tech_need_create": "create",
    "portal:tech_need_publish": "object:tech_need",
    "portal:tech_need_hide": "object:tech_need",
    "portal:result_create": "create",
    "portal:result_publish": "object:hall_result",
    "api:list_tech_needs": "list",
    "api:create_tech_need": "create",
    "api:publish_tech_need": "object:tech_need",
    "api:hide_tech_need": "object:tech_need",
    "api:list_results": "list",
    "api:create_result": "create",
    "api:publish_result": "object:hall_result",
    "api:list_hall_experts": "list",
    # 揭榜挂帅: the office's list and every step are scoped through the call's county; an
    # outside party reads a published call, its own applications and its own objections.
    "portal:call_list": "list",
    "portal:call_new": "create",
    "portal:my_applications": "list",
    "portal:call_detail": "object:call",
    "portal:call_submit": "object:call",
    "portal:call_apply": "object:call",
    "portal:call_close": "object:call",
    "portal:call_evaluate": "object:call",
    "portal:call_publicise": "object:call",
    "portal:objection_new": "object:call",
    "portal:objection_answer": "object:call",
    "portal:call_award": "object:call",
    "portal:call_agreement": "object:call",
    "portal:application_score": "object:call_application",
    "portal:application_download": "object:call_application",
    "api:list_calls": "list",
    "api:get_call": "object:call",
    "api:apply_to_call": "object:call",
    # Staff sub-accounts: the accounts of the user's own organisation only.
    "portal:staff_list": "list",
    "portal:staff_new": "create",
    "portal:staff_deactivate": "object:outside_account",
    "portal:result_hide": "object:hall_result",
    "api:hide_result": "object:hall_result",
    "portal:need_interest": "object:tech_need",
    "portal:result_interest": "object:hall_result",
    "portal:thread_list": "list",
    "portal:thread_detail": "object:thread",
    "portal:thread_move": "object:thread",
    "portal:thread_cooperation": "object:thread",
    "portal:message_attachment": "object:thread_message",
    "api:list_threads": "list",
    "api:create_thread": "create",
    "api:get_thread": "object:thread",
    "api:post_thread_message": "object:thread",
    "api:move_thread": "object:thread",
    "api:convert_thread": "object:thread",
}


def object_ids() -> dict[str, int]:
    from yanzhen.demand.models import NeedStatus, TalentNeed
    from yanzhen.portal.models import (
        Call,
        CallApplication,
        HallState,
        OutsideAccount,
        Registration,
        Result,
        TechNeed,
        Thread,
        ThreadMessage,
    )

    # The registrations the demo's university and expert accounts came from (Yongji's).
    registration = Registration.objects.order_by("pk").first()
    need = TechNeed.objects.filter(state=HallState.PUBLISHED).order_by("pk").first()
    talent = TalentNeed.objects.filter(status=NeedStatus.OPEN).order_by("pk").first()
    result = Result.objects.filter(state=HallState.PUBLISHED).order_by("pk").first()
    assert registration is not None
    assert need is not None
    assert talent is not None
    assert result is not None
    call = Call.objects.order_by("pk").first()
    application = CallApplication.objects.order_by("pk").first()
    account = OutsideAccount.objects.filter(is_manager=False).order_by("pk").first()
    assert call is not None
    assert application is not None
    assert account is not None
    thread = Thread.objects.order_by("pk").first()
    message = ThreadMessage.objects.exclude(attachment="").order_by("pk").first()
    assert thread is not None
    assert message is not None
    return {
        "call": call.pk,
        "call_application": application.pk,
        "outside_account": account.pk,
        "thread": thread.pk,
        "thread_message": message.pk,
        "registration": registration.pk,
        "tech_need": need.pk,
        "talent_need": talent.pk,
        "hall_result": result.pk,
    }
