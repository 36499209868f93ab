# ruff: noqa: E501 -- data tables: one fact per line reads better than wrapped strings
"""Reference data of the tracking app (idempotent; ``compacts reference`` and ``compacts up``).

Facts come from /work/shared/domain/facts.md (copied here with their sources, since a fresh
clone has no /work/shared). Facts marked [C] there are stored ``confirmed``; [U] or inferred ones
are stored ``provisional``, shown as provisional, and editable by the secretariat (IMRF editions,
round tables, regional commissions and reviews, and GCR pledge stages on the pages under
``review-cycle/reference/``).
"""

from datetime import date

from django.db import transaction

from compacts.core.services import audit_record, model_values
from compacts.tracking.models import (
    Commitment,
    GcrPledgeStage,
    ImrfEdition,
    Indicator,
    IndicatorKind,
    ReferenceStatus,
    RegionalCommission,
    RegionalReview,
    RoundTable,
)

C, P = ReferenceStatus.CONFIRMED, ReferenceStatus.PROVISIONAL

IMRF_SOURCE = (
    "GCM para 49; A/RES/73/326 (format: four round tables); IMRF 2022 dates and round tables: "
    "https://www.adept-platform.org/imrf22/ (RT1-RT3 confirmed, RT4 inferred)."
)
EDITIONS = [
    # year, title, starts, ends, place, status, note
    (2022, "International Migration Review Forum 2022", date(2022, 5, 17), date(2022, 5, 20),
     "United Nations Headquarters, New York", C, IMRF_SOURCE),
    (2026, "International Migration Review Forum 2026", None, None, "", P,
     "Year confirmed (https://csactioncommittee.org/international-migration-review-forums); "
     "dates and modalities not confirmed."),
]  # fmt: skip
ROUND_TABLES_2022 = [
    (1, [2, 5, 6, 12, 18], C),
    (2, [4, 8, 9, 10, 11, 13, 21], C),
    (3, [14, 15, 16, 19, 20, 22], C),
    (4, [1, 3, 7, 17, 23], P),  # inferred: the remaining objectives (facts.md §5)
]
# The five UN regional commissions convene the regional reviews: GCM para 50 [C] (facts.md §5).
COMMISSIONS = [
    # code, name, status
    ("ECA", "Economic Commission for Africa", C),
    ("ECE", "Economic Commission for Europe", C),
    ("ECLAC", "Economic Commission for Latin America and the Caribbean", C),
    ("ESCAP", "Economic and Social Commission for Asia and the Pacific", C),
    ("ESCWA", "Economic and Social Commission for Western Asia", C),
]
REGIONAL_REVIEWS = [
    # commission, round, year, starts, ends, place, status, source
    ("ECE", 1, 2020, None, None, "", C, "UNNM 2021 briefings: UNECE, November 2020."),
    ("ESCWA", 1, 2021, None, None, "", C, "UNNM 2021 briefings: Arab region, early 2021."),
    ("ESCAP", 1, 2021, None, None, "", C, "UNNM 2021 briefings: Asia-Pacific, early 2021."),
    ("ECLAC", 1, 2021, None, None, "", C, "UNNM 2021 briefings: Latin America, April 2021."),
    ("ECA", 1, 2021, date(2021, 7, 12), date(2021, 7, 13), "", C, "UNNM 2021 briefings."),
    ("ECE", 2, 2024, date(2024, 3, 11), date(2024, 3, 11), "Geneva", C,
     "https://drupal-main-staging.unece.org/media/press/389175"),
    ("ESCWA", 2, 2024, None, None, "Cairo", P,
     "https://miragenews.com/arab-region-hosts-2nd-global-migration-compact-1269423 (year inferred)"),
    ("ECLAC", 2, 2025, date(2025, 3, 18), date(2025, 3, 20), "Santiago", C,
     "https://pactomigracion.cepal.org/2/en/background"),
]  # fmt: skip
COMMITMENTS_2022 = [
    ("70", "A limited set of indicators for inclusive national reviews",
     "The Secretary-General's next biennial report is to propose a limited set of indicators, "
     "drawing on the SDG global indicator framework (A/RES/71/313) and other frameworks, to help "
     "Member States conduct inclusive reviews of progress.",
     "UN Secretary-General, with the UN Network on Migration", "WMR24 (facts.md §5)"),
    ("76", "Recommendations on missing migrants and migrants in distress",
     "Actionable recommendations to strengthen cooperation on missing migrants and humanitarian "
     "assistance to migrants in distress.",
     "", "Progress Declaration para 76 (facts.md §5)"),
]  # fmt: skip
# facts.md §2: stage values of the GCR pledge-update form are not confirmed.
GCR_STAGES = [
    ("planning", "Planning stage", 10),
    ("in-progress", "Implementation in progress", 20),
    ("fulfilled", "Fulfilled", 30),
]
# facts.md §2 [U]: the GCR indicator framework's indicators, from memory; codes unconfirmed.
GCR_INDICATORS = [
    ("1.1.1", 1, "Volume of official development assistance (ODA) provided to, or for the benefit of, refugees and host communities"),
    ("1.1.2", 1, "Number of donors providing official development assistance to, or for the benefit of, refugees and host communities"),
    ("2.1.1", 2, "Proportion of refugees who are able to move freely within the host country"),
    ("2.1.2", 2, "Proportion of refugees who have access to decent work"),
    ("2.2.1", 2, "Proportion of refugee children enrolled in the national education system"),
    ("2.2.2", 2, "Proportion of refugees living below the national poverty line of the host country"),
    ("3.1.1", 3, "Number of refugees who departed on resettlement"),
    ("3.2.1", 3, "Number of refugees admitted through complementary pathways"),
    ("4.1.1", 4, "Volume of official development assistance to countries of origin for returnees"),
    ("4.2.1", 4, "Number of refugee returns"),
    ("4.2.2", 4, "Number of returnees with legal identity documentation"),
]  # fmt: skip
GCR_SOURCE = (
    "GCR indicator framework (July 2019, refined 2022). The list and codes are from memory "
    "(facts.md §2 [U]): verify against the framework before relying on them."
)
# The SDG indicators linked to the GCM (facts.md §6), their desired direction, and the GCM
# objectives they are shown with. The objective links are editorial (by topic), not official.
SDG_LINKS = {
    "3.8.1": ("increase", [15]),
    "3.8.2": ("decrease", [15]),
    "8.8.1": ("decrease", [6]),
    "8.8.2": ("increase", [6]),
    "10.7.1": ("decrease", [6]),
    "10.7.2": ("increase", [23]),
    "10.7.3": ("decrease", [8]),
    "10.7.4": ("decrease", []),
    "10.c.1": ("decrease", [20]),
    "16.9.1": ("increase", [4]),
    "17.18.1": ("increase", [1]),
}
# SDG target 10.c: remittance costs below 3 per cent by 2030 (facts.md §6 [C]).
SDG_TARGETS = {"10.c.1": (3, 2030)}
SDG_SOURCE = "Objective links are editorial (by topic); the SDG list is the official one."


def _upsert(model, lookup: dict, values: dict, created_counter: list[int]) -> object:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        audit_record(
            actor=None,
            action="tracking.reference.create",
            obj=obj,
            after=model_values(obj, [*lookup, *values]),
        )
        created_counter[0] += 1
    return obj


@transaction.atomic
def load_reference(*, stdout) -> None:
    """Create what is missing; never overwrite what the secretariat has edited since."""
    from compacts.framework.models import GcmObjective, GcrObjective, SdgIndicator

    created = [0]
    objectives = {o.number: o for o in GcmObjective.objects.all()}
    for year, title, starts, ends, place, status, note in EDITIONS:
        _upsert(
            ImrfEdition,
            {"year": year},
            {"title": title, "starts_on": starts, "ends_on": ends, "place": place, "status": status,
             "source_note": note},
            created,
        )  # fmt: skip
    edition = ImrfEdition.objects.get(year=2022)
    for number, cluster, status in ROUND_TABLES_2022:
        table = _upsert(
            RoundTable,
            {"edition": edition, "number": number},
            {"status": status, "source_note": IMRF_SOURCE},
            created,
        )
        if not table.objectives.exists() and all(n in objectives for n in cluster):
            table.objectives.set([objectives[n] for n in cluster])
    commissions = {
        code: _upsert(RegionalCommission, {"code": code}, {"name": name, "status": status}, created)
        for code, name, status in COMMISSIONS
    }
    for code, round_number, year, starts, ends, place, status, note in REGIONAL_REVIEWS:
        _upsert(
            RegionalReview,
            {"commission": commissions[code], "round": round_number},
            {"year": year, "starts_on": starts, "ends_on": ends, "place": place, "status": status,
             "source_note": note},
            created,
        )  # fmt: skip
    for paragraph, title, text, owner_label, note in COMMITMENTS_2022:
        _upsert(
            Commitment,
            {"edition": edition, "paragraph": paragraph},
            {"title": title, "text": text, "owner_label": owner_label, "source_note": note},
            created,
        )
    for code, name, order in GCR_STAGES:
        _upsert(GcrPledgeStage, {"code": code}, {"name": name, "sort_order": order}, created)
    gcr_objectives = {o.number: o for o in GcrObjective.objects.all()}
    for code, objective, title in GCR_INDICATORS:
        _upsert(
            Indicator,
            {"slug": f"gcr-{code.replace('.', '-')}"},
            {"kind": IndicatorKind.GCR, "code": code, "title": title, "status": ReferenceStatus.PROVISIONAL,
             "gcr_objective": gcr_objectives.get(objective), "source_note": GCR_SOURCE},
            created,
        )  # fmt: skip
    for sdg in SdgIndicator.objects.filter(is_gcm_linked=True):
        direction, linked = SDG_LINKS.get(sdg.code, ("increase", []))
        target_value, target_year = SDG_TARGETS.get(sdg.code, (None, None))
        indicator = _upsert(
            Indicator,
            {"slug": sdg.code.replace(".", "-")},
            {"kind": IndicatorKind.SDG, "code": sdg.code, "title": sdg.title, "sdg_indicator": sdg,
             "direction": direction, "target_value": target_value, "target_year": target_year,
             "source_note": SDG_SOURCE},
            created,
        )  # fmt: skip
        if not indicator.objectives.exists():
            indicator.objectives.set([objectives[n] for n in linked if n in objectives])
    if created[0]:
        from compacts.core.changes import announce

        announce("tracking", reference=created[0])
    stdout.write(f"  tracking: review cycle, GCR stages and indicator catalogue ({created[0]} new)")
