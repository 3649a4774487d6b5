"""Forms of the talent app, by topic: the forms of every write (a list's filter form is
derived from its selector's dataclass, ``core.filters``). Choices of units, campaigns and
talents are limited to the user's data scope by the views; universities are typed (with
suggestions) and resolved by name or code."""

from yanzhen.talent.forms.common import (
    ALL,
    DATE_INPUT,
    MONTH_INPUT,
    NONE,
    SUGGEST,
    MonthField,
    PersonFields,
    UniversityField,
    discipline_field,
    month_start,
    resolve_universities,
    set_choices,
    set_queryset,
    split_names,
)
from yanzhen.talent.forms.recruitment import (
    AgreementForm,
    ApplicantForm,
    CampaignForm,
    PositionForm,
    StageForm,
    TalentForm,
    WorkloadForm,
)

__all__ = [
    "ALL",
    "DATE_INPUT",
    "MONTH_INPUT",
    "NONE",
    "SUGGEST",
    "AgreementForm",
    "ApplicantForm",
    "CampaignForm",
    "MonthField",
    "PersonFields",
    "PositionForm",
    "StageForm",
    "TalentForm",
    "UniversityField",
    "WorkloadForm",
    "discipline_field",
    "month_start",
    "resolve_universities",
    "set_choices",
    "set_queryset",
    "split_names",
]
