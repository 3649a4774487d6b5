"""Constants shared by the parts of the talent demo."""

from __future__ import annotations

import datetime as dt

from yanzhen.core.models import Degree

YEAR = 2021
RECOGNISED_ON = dt.date(2021, 12, 31)  # entitlements as the rules give them at the year's end
PAID_THROUGH = dt.date(2021, 11, 1)  # monthly subsidies paid through November 2021
OFFICE = "中共永济市委组织部"  # the talent office (人才办) sits in the organisation department
HRSS = "永济市人力资源和社会保障局"
MIIT = "永济市工业和信息化局"
HOSPITALS = ("永济市人民医院", "永济市中医医院")
DOCTOR, MASTER, BACHELOR = Degree.DOCTOR, Degree.MASTER, Degree.BACHELOR
