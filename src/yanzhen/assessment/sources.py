"""The indicator sources the apps declare (``<app>/indicators.py``: ``SOURCES``), discovered
through ``core.registry``; see ``yanzhen.core.indicators`` for the contract.

A source an indicator names but no app declares is a *configuration problem*, shown on the
pages and computed as not available — never a crash."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from yanzhen.core.indicators import IndicatorSource
from yanzhen.core.registry import app_module, domain_apps

log = logging.getLogger(__name__)


@dataclass
class Registry:
    sources: dict[str, IndicatorSource] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, code: str) -> IndicatorSource | None:
        return self.sources.get(code)


def all_sources() -> Registry:
    """Every app's ``SOURCES``, in ``INSTALLED_APPS`` order (the first of a code wins)."""
    registry = Registry()
    for app in domain_apps():
        try:
            module = app_module(app, "indicators")
        except Exception as error:  # a broken module must not take the assessment down
            registry.problems.append(f"{app.label}/indicators.py 无法载入：{error}")
            continue
        if module is None:
            continue
        if not hasattr(module, "SOURCES"):  # e.g. the contract itself (core/indicators.py)
            continue
        declared = module.SOURCES
        if not isinstance(declared, tuple | list):
            registry.problems.append(f"{app.label}/indicators.py 的 SOURCES 不是元组")
            continue
        for index, source in enumerate(declared, start=1):
            if not isinstance(source, IndicatorSource):
                registry.problems.append(
                    f"{app.label}/indicators.py 的 SOURCES 第{index}项不是 IndicatorSource"
                )
            elif source.code in registry.sources:
                registry.problems.append(f"数据来源代码“{source.code}”重复声明（{app.label}）")
            else:
                registry.sources[source.code] = source
    for problem in registry.problems:
        log.warning("indicator sources: %s", problem)
    return registry


def missing_message(code: str) -> str:
    app = code.split(".", 1)[0]
    return f"数据来源“{code}”未注册：提供它的模块（{app}）尚未安装或未声明该来源"
