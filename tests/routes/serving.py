"""Access rules of the serving routes (yanzhen/serving): the readiness check is public, as the
liveness check is (a load balancer or a monitor asks it without an account)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "ready": "public",
}
