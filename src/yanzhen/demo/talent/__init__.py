"""The talent part of the Yongji demo: exactly the case's figures, fictional people.

* 131 talents recruited in 2021 (1 PhD, 106 masters, 24 bachelors) through open recruitment
  (52), flexible introduction (24) and campus recruitment (55: 48 through the campaign, the 7
  medical graduates through their placement programme);
* 8 selected graduates (选调生) placed in towns and villages, 7 medical graduates in the two
  hospitals, 69 interns from 陕西师范大学, 西安电子科技大学, 苏州大学, 四川大学, 上海理工大学 and
  others allocated by the engine to 19 host units (8 departments, the 10 towns and streets,
  the development zone);
* the entitlement catalogue with its rules, the entitlements the rules give on 2021-12-31,
  deliveries (monthly subsidies paid through November 2021, December's list awaiting
  confirmation), the talent apartment;
* 永济面食产业学院: 9 majors, 20 categories, 52 courses, classes and trainees, and the
  "永济好面" brand's 106 chain stores;
* the reminders of 31 December 2021 (entitlements ending, visits due) notified to the
  employers and paying units.

People are generated (names from common characters, ID numbers with a correct GB 11643
check digit, mobiles); none is real. Bulk writes keep the demo fast; the allocation and the
confirmation of the programmes go through the services (the engine, verified). Idempotent:
each part is skipped when its first record exists.
"""

from __future__ import annotations

import datetime as dt

from yanzhen.benefits.services import reminders_send
from yanzhen.core.models import Unit
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.talent.catalogue import grant_permissions, load_catalogue, load_disciplines
from yanzhen.demo.talent.common import HRSS, MIIT, OFFICE
from yanzhen.demo.talent.people import People
from yanzhen.demo.talent.placement import PROGRAMMES, load_programmes
from yanzhen.demo.talent.recruitment import CAMPAIGNS, load_recruitment
from yanzhen.demo.talent.services import load_apartment, load_entitlements
from yanzhen.demo.talent.training import TRAINEE_UNITS, load_college
from yanzhen.demo.yongji import COUNTY
from yanzhen.reference.models import University


def load(result: DemoResult) -> None:
    grant_permissions()
    needed = {
        *(h.unit for c in CAMPAIGNS for h in c.hires),
        *(name for p in PROGRAMMES for name, _ in p.hosts),
        *(p.owner for p in PROGRAMMES), *(c.owner for c in CAMPAIGNS),
        OFFICE, HRSS, MIIT, COUNTY[0], *TRAINEE_UNITS,
    }  # fmt: skip
    units = {u.name: u for u in Unit.objects.filter(name__in=needed)}
    missing = needed - set(units)
    if missing:
        raise AssertionError(f"demo units missing: {sorted(missing)}")
    universities = {u.name: u for u in University.objects.all()}
    disciplines = load_disciplines(result)
    people = People(seed=6131)
    load_catalogue(result, units)
    talents = load_recruitment(result, units, universities, disciplines, people)
    talents += load_programmes(result, units, universities, disciplines, people)
    load_entitlements(result, talents)
    load_apartment(result, units)
    load_college(result, units, universities, people)
    # The daily reminders as the worker ran them on the last day of 2021: the employers and
    # payers of entitlements ending or due are notified (once each: a second run adds none).
    reminders_send(dt.date(2021, 12, 31))
