from __future__ import annotations

from django.apps import AppConfig


class PlacementConfig(AppConfig):
    """Placement programmes (生态营造): host units with their places, applicants' ranked
    preferences, hosts' rankings, the stable allocation, its manual adjustments and the
    confirmation into the registry; then interns' logs, hosts' feedback and conversions to
    hires. Its pages keep the talent app's paths and URL names (``/talent/programmes/``,
    ``talent:programme_list``), its API the talent app's paths and operation ids, and its
    tables their ``talent_`` names."""

    name = "yanzhen.placement"
    label = "placement"
    verbose_name = "人才分配与实习"
    url_prefix = "talent/"
