"""Disaggregation dimensions of indicators (sex, age group, migratory status, disability), as
data: the values follow common UN practice (sex per the SDG framework, the Washington Group's
disability question, IOM's migratory statuses) and may be edited."""

from django.db import transaction

from compacts.results.models import Dimension, DimensionValue

DIMENSIONS = [
    ("sex", "Sex", [("female", "Female"), ("male", "Male")]),
    (
        "age-group",
        "Age group",
        [("0-17", "0-17"), ("18-24", "18-24"), ("25-59", "25-59"), ("60-plus", "60 and over")],
    ),
    (
        "migratory-status",
        "Migratory status",
        [
            ("migrant-worker", "Migrant worker"),
            ("refugee", "Refugee"),
            ("asylum-seeker", "Asylum seeker"),
            ("internally-displaced", "Internally displaced person"),
            ("returnee", "Returnee"),
            ("host-community", "Host community member"),
        ],
    ),
    (
        "disability",
        "Disability",
        [("with-disability", "With a disability"), ("without-disability", "Without a disability")],
    ),
]


@transaction.atomic
def load_reference(*, stdout) -> None:
    for order, (code, name, values) in enumerate(DIMENSIONS):
        dimension, _ = Dimension.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        for value_order, (value_code, value_name) in enumerate(values):
            DimensionValue.objects.get_or_create(
                dimension=dimension,
                code=value_code,
                defaults={"name": value_name, "sort_order": value_order},
            )
    stdout.write("  results: disaggregation dimensions")
