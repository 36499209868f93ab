"""Reference integrity against the shipped data, and idempotent reloads."""

import csv
import io

import pytest

from compacts.core.models import AuditRecord
from compacts.framework.loaders.base import DATA_DIR
from compacts.framework.models import (
    Codelist,
    CodelistItem,
    Country,
    GcmAction,
    GcmObjective,
    GcrArea,
    GcrObjective,
    GuidingPrinciple,
    Marker,
    ReferenceStatus,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    ThematicArea,
)
from compacts.framework.reference import load_reference

pytestmark = pytest.mark.usefixtures("reference_data", "db")

LANGUAGES = ["en", "fr", "es", "ar", "zh-hans", "ru"]


def test_gcm_objectives_have_the_exact_titles_labels_and_paragraphs():
    with (DATA_DIR / "gcm/gcm_objectives.csv").open(encoding="utf-8") as handle:
        official = {int(row["objective"]): row["title"] for row in csv.DictReader(handle)}
    objectives = {o.number: o for o in GcmObjective.objects.all()}
    assert len(objectives) == 23
    assert {n: o.title for n, o in objectives.items()} == official
    assert objectives[15].short_label == "Access to basic services"
    assert objectives[1].paragraph == 17
    assert objectives[15].paragraph == 31
    assert objectives[23].paragraph == 39
    assert objectives[15].commitment.startswith("We commit to ensure that all migrants")


def test_gcm_has_187_actions_with_codes():
    assert GcmAction.objects.count() == 187
    action = GcmAction.objects.get(code="15e")
    assert action.objective.number == 15
    assert "health" in action.text
    counts = [o.actions.count() for o in GcmObjective.objects.order_by("number")]
    assert counts == [11, 12, 5, 7, 10, 12, 12, 6, 6, 10, 7, 5, 8, 6, 6, 9, 7, 12, 10, 9, 9, 3, 5]


def test_ten_guiding_principles():
    letters = list(GuidingPrinciple.objects.values_list("letter", flat=True))
    assert letters == list("abcdefghij")
    assert GuidingPrinciple.objects.get(letter="h").name == "Child-sensitive"


def test_gcr_objectives_and_health_area():
    assert GcrObjective.objects.count() == 4
    health = GcrArea.objects.get(is_health=True)
    assert (health.section, health.paragraphs, health.status) == (
        "2.3",
        "72-73",
        ReferenceStatus.CONFIRMED,
    )
    assert health.parent.code == "B-2"


def test_mptf_data_is_provisional_and_complete():
    areas = ThematicArea.objects.order_by("number")
    assert [a.code for a in areas] == ["TA1", "TA2", "TA3", "TA4", "TA5"]
    assert all(a.status == ReferenceStatus.PROVISIONAL for a in areas)
    ta5 = areas.get(code="TA5")
    assert {(link.objective.number, link.is_uncertain) for link in ta5.objective_links.all()} == {
        (4, True),
        (14, True),
        (15, False),
        (16, False),
    }
    markers = Marker.objects.order_by("sort_order")
    assert [m.code for m in markers] == ["gender", "human-rights", "child-sensitivity"]
    assert all(
        m.is_provisional and [lv.value for lv in m.levels.all()] == [0, 1, 2, 3] for m in markers
    )


def test_sdg_goals_targets_and_reconciled_indicators():
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert SdgGoal.objects.get(number=10).titles["fr"]
    assert SdgIndicator.objects.count() == 248
    # Dropped: not official indicators (see docs/framework.md).
    assert not SdgIndicator.objects.filter(code__in=["1.a.3", "8.9.2", "13.3.2", "17.6.2"]).exists()
    assert SdgIndicator.objects.filter(repeat_of__isnull=True).count() == 232
    assert SdgIndicator.objects.get(code="13.1.1").repeat_of.code == "1.5.1"
    assert SdgIndicator.objects.get(code="17.6.1").title.startswith("Fixed Internet broadband")


def test_gcm_linked_indicators_are_flagged():
    linked = set(SdgIndicator.objects.filter(is_gcm_linked=True).values_list("code", flat=True))
    assert linked == {
        "10.7.1",
        "10.7.2",
        "10.7.3",
        "10.7.4",
        "10.c.1",
        "3.8.1",
        "3.8.2",
        "8.8.1",
        "8.8.2",
        "16.9.1",
        "17.18.1",
    }


def test_every_m49_country_has_a_name_in_six_languages():
    with (DATA_DIR / "un-m49-country-codes/UNSD-m49-en.csv").open(encoding="utf-8-sig") as handle:
        m49 = {row["M49 Code"]: row for row in csv.DictReader(handle)}
    countries = Country.objects.filter(in_m49=True)
    assert countries.count() == len(m49) == 249
    for country in countries:
        assert sorted(country.names) == sorted(LANGUAGES), country.iso2
        assert all(country.names[lang].strip() for lang in LANGUAGES), country.iso2
        assert country.iso2 == m49[country.m49]["ISO-alpha2 Code"]
        assert country.iso3 == m49[country.m49]["ISO-alpha3 Code"]
    france = Country.objects.get(iso2="FR")
    assert france.names["zh-hans"] == "法国"
    assert france.region.m49 == "150"


def test_m49_hierarchy_and_flags():
    assert Region.objects.get(m49="001").level == Region.Level.WORLD
    assert Region.objects.filter(level=Region.Level.REGION).count() == 5
    assert Region.objects.filter(level=Region.Level.SUB_REGION).count() == 17
    assert Region.objects.filter(level=Region.Level.INTERMEDIATE).count() == 7
    nigeria = Country.objects.get(iso2="NG")
    assert (nigeria.region.m49, nigeria.sub_region.m49, nigeria.intermediate_region.m49) == (
        "002",
        "202",
        "011",
    )
    assert Country.objects.filter(is_ldc=True).count() == 45
    assert Country.objects.filter(is_lldc=True).count() == 32
    assert Country.objects.filter(is_sids=True).count() == 53
    assert Country.objects.get(iso2="AQ").region is None


def test_iati_codes_outside_m49_are_handled_explicitly():
    kosovo = Country.objects.get(iso2="XK")
    assert (kosovo.in_m49, kosovo.m49, kosovo.iso3, kosovo.region) == (False, None, None, None)
    assert "M49" in kosovo.note
    assert not Country.objects.filter(iso2="AN").exists()
    antilles = CodelistItem.objects.get(codelist__name="Country", code="AN")
    assert antilles.status == CodelistItem.Status.WITHDRAWN


def test_iati_codelists():
    for name in [
        "Sector",
        "TransactionType",
        "OrganisationType",
        "OrganisationRole",
        "Currency",
        "PolicyMarker",
        "PolicySignificance",
        "TagVocabulary",
        "ActivityStatus",
        "BudgetType",
        "Country",
        "Region",
        "RegionVocabulary",
    ]:
        assert Codelist.objects.filter(name=name).exists(), name
    migration = CodelistItem.objects.get(codelist__name="Sector", code="15190")
    assert migration.name.startswith(
        "Facilitation of orderly, safe, regular and responsible migration"
    )
    assert CodelistItem.objects.filter(codelist__name="Sector").count() == 325


def test_first_load_reports_progress_per_source(reference_data):
    output = reference_data["output"]
    for source in ["iati-codelists", "un-m49", "gcm", "sdg", "gcr", "mptf"]:
        assert f"framework: {source}:" in output
    assert "gcm actions 187 (187 new, 0 updated)" in output


def test_reloading_is_idempotent_and_writes_no_audit_records():
    counts = {
        model: model.objects.count()
        for model in [GcmObjective, GcmAction, Country, SdgIndicator, CodelistItem, Region]
    }
    audits = AuditRecord.objects.count()
    output = io.StringIO()
    report = load_reference(stdout=output)
    assert all(value == {} for value in report.values())
    assert "unchanged, skipped" in output.getvalue()
    forced = load_reference(stdout=io.StringIO(), force=True)
    for source in forced.values():
        for counts_ in source.values():
            assert counts_["created"] == counts_["updated"] == 0
    assert {model: model.objects.count() for model in counts} == counts
    assert AuditRecord.objects.count() == audits


def test_a_reload_keeps_an_administrators_edits(superuser):
    from compacts.framework.services import thematic_area_confirm, thematic_area_update

    area = ThematicArea.objects.get(code="TA5")
    thematic_area_update(
        thematic_area=area, actor=superuser, name="Social inclusion", objectives=[15, 16]
    )
    thematic_area_confirm(thematic_area=area, actor=superuser)
    load_reference(stdout=io.StringIO(), force=True)
    area.refresh_from_db()
    assert area.name == "Social inclusion"
    assert area.status == ReferenceStatus.CONFIRMED
    assert sorted(link.objective.number for link in area.objective_links.all()) == [15, 16]


def test_load_writes_one_audit_record_per_changed_source():
    actions = AuditRecord.objects.filter(action="framework.reference.load")
    assert actions.count() == 6
