"""Disaggregation columns and values in the reader's language.

An indicator's disaggregations come from its data: the column headings and cell values of the
Open SDG files the secretariat or a government uploads (``opensdg.py``), so in principle they are
free text. In practice SDG and migration data use a small shared vocabulary (the SDG/SDMX
dimensions: Sex "Female" / "Male", Location "Urban" / "Rural", age groups such as "15-24",
migratory status "Migrant" / "Non-migrant" ...). Those listed here are shown translated wherever
the platform displays a series (the indicator page's filters, table and chart, the health lens,
the indicator map's description); any other column or value is shown exactly as stored, since it
is text from the data. Stored values, filters in addresses, the API and the CSV download always
keep the text of the file.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Column headings of the SDG/SDMX vocabulary, as they appear in Open SDG files.
COLUMNS = {
    "Sex": gettext_lazy("Sex"),
    "Age": gettext_lazy("Age"),
    "Location": gettext_lazy("Location"),
    "Migratory status": gettext_lazy("Migratory status"),
    "Disability status": gettext_lazy("Disability status"),
    "Education level": gettext_lazy("Education level"),
    "Income": gettext_lazy("Income"),
}

#: Cell values of the same vocabulary.
VALUES = {
    "Female": gettext_lazy("Female"),
    "Male": gettext_lazy("Male"),
    "Both sexes": gettext_lazy("Both sexes"),
    "Urban": gettext_lazy("Urban"),
    "Rural": gettext_lazy("Rural"),
    "Migrant": gettext_lazy("Migrant"),
    "Non-migrant": gettext_lazy("Non-migrant"),
    "Refugee": gettext_lazy("Refugee"),
    "Persons with disability": gettext_lazy("Persons with disability"),
    "Persons without disability": gettext_lazy("Persons without disability"),
    "Total": gettext_lazy("Total"),
}

_AGE_RANGE = re.compile(r"(\d{1,3})\s*-\s*(\d{1,3})")
_AGE_AND_OVER = re.compile(r"(\d{1,3})\s*\+")


def column_label(name: str) -> str:
    """A column heading in the reader's language, or as stored if it is not in the vocabulary."""
    label = COLUMNS.get(name)
    return str(label) if label is not None else name


def value_label(column: str, value: str) -> str:
    """A cell value in the reader's language: a value of the vocabulary, or an age group
    ("15-24", "65+") of the ``Age`` column; anything else as stored."""
    label = VALUES.get(value)
    if label is not None:
        return str(label)
    if column == "Age":
        if match := _AGE_RANGE.fullmatch(value):
            return _("%(start)s-%(end)s years") % {"start": match[1], "end": match[2]}
        if match := _AGE_AND_OVER.fullmatch(value):
            return _("%(start)s years and over") % {"start": match[1]}
    return value


def series_label(disaggregation: dict[str, str]) -> str:
    """``Sex: Female, Age: 15-24 years`` in the reader's language ("Total" for the headline);
    the columns in the order of their stored names, as before."""
    if not disaggregation:
        return _("Total")
    return ", ".join(
        f"{column_label(name)}: {value_label(name, value)}"
        for name, value in sorted(disaggregation.items())
    )
