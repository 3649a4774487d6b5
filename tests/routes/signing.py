"""Access rules of 云签约 (see tests/routes/__init__.py). The CA's certificate and CRL are
public: whoever validates a signed agreement needs them."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "signing:agreement_list": "list",
    "signing:agreement_new": "create",
    "signing:agreement_detail": "object:agreement",
    "signing:agreement_revise": "object:agreement",
    "signing:agreement_send": "object:agreement",
    "signing:agreement_sign": "object:pending",
    "signing:agreement_pdf": "object:agreement",
    "signing:obligation_new": "object:agreement",
    "signing:obligation_delete": "object:agreement:obligation",
    "signing:agreement_renew": "object:agreement",
    "signing:ceremony_list": "list",
    "signing:ceremony_new": "create",
    "signing:ceremony_detail": "object:ceremony",
    "signing:verify": "open",
    "signing:seal": "create",
    "signing:seal_image": "create",
    "signing:ca_certificate": "public",
    "signing:ca_crl": "public",
    "api:list_agreements": "list",
}


def object_ids() -> dict[str, int]:
    from yanzhen.signing.models import Agreement, Ceremony, Obligation

    # The demo's ceremony holds one agreement signed by both parties and one that awaits the
    # office's signature.
    agreement = Agreement.objects.filter(state="signed").order_by("pk").first()
    pending = Agreement.objects.filter(state="signing").order_by("pk").first()
    ceremony = Ceremony.objects.order_by("pk").first()
    assert agreement is not None
    assert pending is not None
    assert ceremony is not None
    obligation = Obligation.objects.filter(agreement=agreement).order_by("pk").first()
    assert obligation is not None  # the signed agreement's obligations, now milestones
    return {
        "agreement": agreement.pk,
        "pending": pending.pk,
        "ceremony": ceremony.pk,
        "obligation": obligation.pk,
    }
