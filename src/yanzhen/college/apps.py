from __future__ import annotations

from django.apps import AppConfig


class CollegeConfig(AppConfig):
    """The training college: majors → categories → courses, classes, trainees, brands and
    their franchise stores. Its pages keep the talent app's paths and URL names
    (``/talent/colleges/``, ``talent:college_list``) and its tables their ``talent_`` names."""

    name = "yanzhen.college"
    label = "college"
    verbose_name = "培训学院"
    url_prefix = "talent/"
