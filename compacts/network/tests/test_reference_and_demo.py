"""The Network's reference structure (real, with sources) and its demonstration data
(illustrative, idempotent, covering a call from announcement to publication and a country
network with what it did)."""

import io

import pytest

from compacts.actors.demo import seed_demo as actors_demo
from compacts.actors.reference import load_reference as actors_reference
from compacts.core.models import AuditRecord
from compacts.core.selectors import audit_chain_verify
from compacts.framework.reference import load_reference as framework_reference
from compacts.network import models
from compacts.network.demo import seed_demo
from compacts.network.reference import load_reference

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m.__name__: m.objects.count()
        for m in (
            models.Practice,
            models.CallForPractices,
            models.CountryNetwork,
            models.Event,
            models.Registration,
            models.SupportRequest,
            models.Achievement,
            models.Term,
            models.NetworkMember,
            models.WorkingGroup,
            models.Comment,
            models.Resource,
        )
    }


def test_reference_then_demo_twice():
    out = io.StringIO()
    framework_reference(stdout=out)
    actors_reference(stdout=out)
    actors_demo(stdout=out)
    load_reference(stdout=out)
    # The real structure, from cited sources, is not illustrative.
    excom = models.NetworkMember.objects.filter(is_executive_committee=True)
    assert sorted(excom.values_list("organisation__short_name", flat=True)) == [
        "ILO",
        "IOM",
        "OHCHR",
        "UN DESA",
        "UNDP",
        "UNHCR",
        "UNICEF",
        "UNODC",
    ]
    assert not models.NetworkMember.objects.filter(is_illustrative=True).exists()
    wg21 = models.WorkingGroup.objects.get(code="2.1")
    assert sorted(m.organisation.short_name for m in wg21.members.filter(role="co-lead")) == [
        "IOM",
        "UNDP",
    ]
    assert not models.WorkingGroup.objects.get(code="6").co_leads_confirmed
    assert sorted(models.ChampionCountry.objects.values_list("country__iso2", flat=True)) == [
        "EG",
        "IQ",
        "KE",
    ]

    seed_demo(stdout=out)
    first = _counts()
    seed_demo(stdout=out)
    load_reference(stdout=out)
    assert _counts() == first

    concluded = models.CallForPractices.objects.get(state="concluded")
    assert concluded.is_illustrative
    assert concluded.practices.filter(state="published").count() == 2
    open_call = models.CallForPractices.objects.get(state="announced")
    assert set(open_call.practices.values_list("state", flat=True)) == {
        "submitted",
        "changes-requested",
    }
    network = models.CountryNetwork.objects.get(kind="country", is_illustrative=True)
    assert set(network.achievements.values_list("kind", flat=True)) == {
        "national-plan",
        "concept-note",
        "training",
    }
    assert (
        models.SupportRequest.objects.filter(state="closed")
        .exclude(concept_note_reference="")
        .exists()
    )
    # Everything the demo made is labelled.
    for model in (
        models.Practice,
        models.CallForPractices,
        models.CountryNetwork,
        models.Event,
        models.SupportRequest,
        models.Resource,
        models.Achievement,
    ):
        assert not model.objects.filter(is_illustrative=False).exists(), model
    assert "(illustrative)" in models.Practice.objects.first().title
    assert AuditRecord.objects.filter(action__startswith="network.").exists()
    assert audit_chain_verify().intact
