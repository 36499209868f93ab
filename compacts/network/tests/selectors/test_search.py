"""Ranked search through the one selector, on the database the suite runs on (SQLite's FTS5 or
PostgreSQL's full-text search): run the suite with DATABASE_URL for the other."""

import pytest
from django.utils import timezone

from compacts.network import search
from compacts.network.selectors import PracticeFilters, practice_search
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _practice(**fields):
    practice = factories.PracticeFactory(state="published", published_at=timezone.now(), **fields)
    search.index_practices([practice])
    return practice


def _titles(result):
    return [p.title for p in result.practices]


class TestRanking:
    def test_a_title_match_ranks_above_a_body_match(self, db):
        body = _practice(title="Community programme", description="Remittances cut costs.")
        title = _practice(title="Remittances corridor", description="A programme.")
        result = practice_search(query="remittances")
        assert result.ranked
        assert [p.pk for p in result.practices] == [title.pk, body.pk]
        ranks = [p.rank for p in result.practices]
        assert ranks[0] > ranks[1]

    def test_the_summary_ranks_between_title_and_body(self, db):
        body = _practice(title="One", description="Vaccination of migrants.")
        summary = _practice(title="Two", summary="Vaccination drive.")
        title = _practice(title="Vaccination for all")
        assert [p.pk for p in practice_search(query="vaccination").practices] == [
            title.pk,
            summary.pk,
            body.pk,
        ]

    def test_all_words_must_match_and_excluded_words_exclude(self, db):
        both = _practice(title="Labour migration and skills")
        _practice(title="Labour inspection")
        _practice(title="Labour migration for nurses", description="nurses")
        result = practice_search(query="labour migration -nurses")
        assert _titles(result) == [both.title]

    def test_or_and_phrases(self, db):
        _practice(title="Return and reintegration")
        _practice(title="Climate displacement")
        _practice(title="Reintegration after return")
        assert sorted(_titles(practice_search(query="climate OR reintegration"))) == [
            "Climate displacement",
            "Reintegration after return",
            "Return and reintegration",
        ]
        assert _titles(practice_search(query='"return and reintegration"')) == [
            "Return and reintegration"
        ]

    def test_stemming_and_diacritics(self, db):
        _practice(title="Migrants’ access to health", language="en")
        _practice(title="Accès à la santé", language="fr")
        assert _titles(practice_search(query="migrant")) == ["Migrants’ access to health"]
        assert _titles(practice_search(query="acces", language="fr")) == ["Accès à la santé"]

    def test_chinese_and_arabic(self, db):
        _practice(title="移民健康服务", language="zh-hans")
        _practice(title="الهجرة الآمنة", language="ar")
        assert _titles(practice_search(query="健康")) == ["移民健康服务"]
        assert _titles(practice_search(query="الهجرة")) == ["الهجرة الآمنة"]

    def test_unpublished_practices_are_not_found(self, db):
        draft = factories.PracticeFactory(title="Remittances draft", state="draft")
        search.index_practices([draft])
        assert _titles(practice_search(query="remittances")) == []


class TestFilters:
    def test_filters_combine_with_and_and_values_with_or(self, db):
        o15 = factories.ObjectiveFactory(number=15)
        o1 = factories.ObjectiveFactory(number=1)
        kenya = factories.CountryFactory(iso2="KE", name="Kenya")
        peru = factories.CountryFactory(iso2="PE", name="Peru")
        a = _practice(title="Health A")
        a.objectives.set([o15])
        a.countries.set([kenya])
        b = _practice(title="Health B")
        b.objectives.set([o15, o1])
        b.countries.set([peru])
        c = _practice(title="Data C")
        c.objectives.set([o1])
        c.countries.set([kenya])
        assert _titles(
            practice_search(query="health", filters=PracticeFilters(objectives=[15]))
        ) in (["Health A", "Health B"], ["Health B", "Health A"])
        assert _titles(
            practice_search(query="", filters=PracticeFilters(objectives=[15], countries=["KE"]))
        ) == ["Health A"]
        assert sorted(
            _titles(practice_search(query="", filters=PracticeFilters(objectives=[1, 15])))
        ) == ["Data C", "Health A", "Health B"]
        assert _titles(
            practice_search(
                query="health", filters=PracticeFilters(countries=["ke", "PE"], objectives=[1])
            )
        ) == ["Health B"]

    def test_no_duplicates_when_a_practice_matches_several_values(self, db):
        a = _practice(title="Health")
        a.objectives.set(
            [factories.ObjectiveFactory(number=3), factories.ObjectiveFactory(number=4)]
        )
        assert (
            practice_search(
                query="health", filters=PracticeFilters(objectives=[3, 4])
            ).practices.count()
            == 1
        )


ODD_QUERIES = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "--",
    "OR",
    "AND",
    "NOT",
    "NEAR(",
    "a OR",
    "OR OR b",
    "(health",
    "health)",
    "title:health",
    "^health",
    "health*",
    "h\\ealth",
    "%",
    "_",
    "'; DROP TABLE x; --",
    "\x00",
    "😀",
    "-health",
    '"unterminated',
    "a" * 500,
    " ".join(["w"] * 50),
    "<script>",
    "health & migration | data",
    "!health",
    "健康 OR",
    "health -",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_error(db, query):
    _practice(title="Health services")
    result = practice_search(query=query)
    list(result.practices)  # evaluated without an error
    if result.parsed.is_empty and query.strip():
        assert result.message


def test_operators_alone_give_a_message_not_an_error(db):
    result = practice_search(query="-- OR *")
    assert list(result.practices) == []
    assert "at least one word" in result.message


def test_the_bare_query_agrees_with_the_selector(db):
    _practice(title="Remittances corridor")
    _practice(title="Other", description="remittances")
    bare = [pk for pk, _rank in search.bare_search("remittances")]
    assert bare == [p.pk for p in practice_search(query="remittances").practices]
