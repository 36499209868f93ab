"""Parsing and rendering of search queries, stemming and segmentation: no database needed."""

import pytest

from compacts.core.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    SearchIndex,
    Weighted,
    parse_query,
    segment,
    stem_words,
    stemmed_text,
    tokens,
)


class TestParseQuery:
    def test_words_are_groups_joined_by_and(self):
        """Each word is its own group; words are lower-cased."""
        parsed = parse_query("Labour Migration")
        assert parsed.groups == [[("labour",)], [("migration",)]]
        assert parsed.excluded == []
        assert not parsed.is_empty

    def test_quoted_phrases_or_and_exclusions(self):
        """A quoted phrase is one alternative; OR joins alternatives; a minus excludes."""
        parsed = parse_query('"return and reintegration" OR climate -nurses')
        assert parsed.groups == [[("return", "and", "reintegration"), ("climate",)]]
        assert parsed.excluded == [("nurses",)]

    def test_operators_alone_are_empty(self):
        """Operators and punctuation alone give no words and never raise."""
        for text in ["", "   ", "OR", "- OR -", '"" ()', "*:^~", None]:
            assert parse_query(text).is_empty

    def test_a_leading_or_is_ignored(self):
        assert parse_query("OR health").groups == [[("health",)]]

    def test_odd_characters_are_read_as_words(self):
        """FTS5 and tsquery syntax is neither interpreted nor passed on raw."""
        parsed = parse_query('health* NEAR(a b) title:migrant "unclosed')
        assert parsed.words() == ["health", "near", "a", "b", "title", "migrant", "unclosed"]

    def test_a_hyphenated_word_is_a_phrase(self):
        assert parse_query("e-mail").groups == [[("e", "mail")]]

    def test_cjk_runs_become_phrases_of_characters(self):
        assert parse_query("移民 健康").groups == [[("移", "民")], [("健", "康")]]

    def test_length_and_terms_are_bounded(self):
        """At most MAX_TERMS terms of the first MAX_QUERY_LENGTH characters are read."""
        parsed = parse_query(" ".join(f"w{i}" for i in range(50)))
        assert len(parsed.groups) == MAX_TERMS
        long = parse_query("a" * (MAX_QUERY_LENGTH + 50))
        assert long.words() == ["a" * MAX_QUERY_LENGTH]

    def test_arabic_short_vowels_are_ignored(self):
        """Diacritised and plain Arabic are the same word."""
        assert parse_query("مُهَاجِر").words() == parse_query("مهاجر").words()


class TestRendering:
    def test_fts5_quotes_every_word(self):
        parsed = parse_query('labour "skills match" OR nurses -detention')
        assert parsed.fts5() == '"labour" AND ("skills match" OR "nurses") NOT "detention"'

    def test_fts5_adds_the_stemmed_form_in_the_readers_language(self):
        """The written form matches the unstemmed half of the index, the stem the other."""
        assert parse_query("migrants").fts5("en") == '("migrants" OR "migrant")'
        assert parse_query("migrantes").fts5("fr") == '("migrantes" OR "migr")'
        assert parse_query("migrantes").fts5("es") == '("migrantes" OR "migrant")'
        assert parse_query("мигрантов").fts5("ru") == '("мигрантов" OR "мигрант")'
        assert parse_query("المهاجرين").fts5("ar") == '("المهاجرين" OR "مهاجر")'
        # Chinese has no stemmer; a word already stemmed has one form.
        assert parse_query("移民").fts5("zh-hans") == '"移 民"'
        assert parse_query("health").fts5("en") == '"health"'

    def test_fts5_splits_apostrophes_like_the_tokeniser(self):
        assert parse_query("l'accès").fts5("fr") == '("l accès" OR "l acces")'

    def test_fts5_stems_excluded_words_too(self):
        assert parse_query("health -migrants").fts5("en") == (
            '"health" NOT ("migrants" OR "migrant")'
        )

    def test_websearch(self):
        parsed = parse_query('labour "skills match" OR nurses -detention -"forced return"')
        assert parsed.websearch() == 'labour "skills match" OR nurses -detention -"forced return"'


class TestStemming:
    @pytest.mark.parametrize(
        ("language", "words", "stems"),
        [
            ("en", ["workers", "migration"], ("worker", "migrat")),
            ("fr", ["travailleuses", "migrantes"], ("travaill", "migr")),
            ("es", ["trabajadores", "migrantes"], ("trabaj", "migrant")),
            ("ar", ["العمال", "المهاجرين"], ("عمال", "مهاجر")),
            ("ru", ["работников", "мигрантов"], ("работник", "мигрант")),
            ("zh-hans", ["移"], ("移",)),
            ("", ["workers"], ("workers",)),
            ("en-gb", ["workers"], ("worker",)),
        ],
    )
    def test_stem_words_uses_the_snowball_stemmer_of_the_language(self, language, words, stems):
        assert stem_words(words, language) == stems

    def test_stemmed_text_keeps_the_written_words_then_the_stems(self):
        assert stemmed_text("Migrant workers", "en") == "Migrant workers\nmigrant worker"
        # Nothing to add when no word changes, or for a language without a stemmer.
        assert stemmed_text("health", "en") == "health"
        assert stemmed_text("移民 workers", "zh-hans") == " 移  民  workers"

    def test_tokens_follow_unicode61(self):
        assert tokens("L'accès, e-mail_x 移民") == ["l", "accès", "e", "mail", "x", "移", "民"]

    def test_segment(self):
        assert segment("移民health") == " 移  民 health"
        assert segment(None) == ""


class TestDefinitions:
    def test_weights_and_names_are_checked(self):
        """Only plain identifiers reach SQL; weights are A to D."""
        with pytest.raises(ValueError, match="Weight must be one of"):
            Weighted("title", "E")
        with pytest.raises(ValueError, match="Not a plain column name"):
            Weighted("title; drop", "A")
        with pytest.raises(ValueError, match="Not a plain table or column name"):
            SearchIndex(table="a b", fields=(Weighted("title", "A"),))
        with pytest.raises(ValueError, match="at least one field"):
            SearchIndex(table="notes", fields=())

    def test_a_group_defaults_to_its_own_column(self):
        index = SearchIndex(
            table="notes", fields=(Weighted("title", "A"), Weighted("body", "C", ("a", "b")))
        )
        assert index.text_columns == ["title", "a", "b"]
        assert index.fts_table == "notes_fts"
