"""The registry: figures found by slug, unknown ones refused, copies cached until the data
announced under the figure's topics changes."""

import pytest
from django.utils import translation

from compacts.core import changes
from compacts.core.exceptions import NotFoundError
from compacts.core.figures import Column, Figure, figure_get, register_figure, registered_figures
from compacts.core.figures.registry import MAX_PARAM_LENGTH, MAX_PARAMS, clean_params

from .conftest import CALLS, SLUG

pytestmark = pytest.mark.django_db


class RegistryTests:
    def test_unknown_slug_is_not_found(self):
        with pytest.raises(NotFoundError) as raised:
            figure_get("no-such-figure", {})
        assert raised.value.status == 404
        assert raised.value.extra == {"slug": "no-such-figure"}
        assert "no-such-figure" in raised.value.message

    def test_figure_gets_slug_and_cleaned_params(self, sample_figure):
        figure = figure_get(SLUG, {"year": 2024, "ignored": None})
        assert figure.slug == SLUG
        assert figure.params == {"year": "2024"}
        assert [row["year"] for row in figure.rows] == [2024, 2024]
        assert CALLS == [{"year": "2024"}]

    def test_second_call_comes_from_the_cache(self, sample_figure):
        first = figure_get(SLUG, {"year": "2023"})
        second = figure_get(SLUG, {"year": "2023"})
        assert first.rows == second.rows
        assert len(CALLS) == 1

    def test_params_in_any_order_share_one_cache_entry(self, sample_figure):
        figure_get(SLUG, {"year": "2024", "donor": "XX"})
        figure_get(SLUG, {"donor": "XX", "year": "2024"})
        assert len(CALLS) == 1

    def test_other_params_and_languages_are_cached_apart(self, sample_figure):
        figure_get(SLUG, {"year": "2023"})
        figure_get(SLUG, {"year": "2024"})
        with translation.override("fr"):
            figure_get(SLUG, {"year": "2023"})
        assert len(CALLS) == 3

    def test_bump_of_a_topic_of_the_figure_renews_it(self, sample_figure):
        figure_get(SLUG, {})
        changes.bump("programmes")  # not a topic of this figure
        figure_get(SLUG, {})
        assert len(CALLS) == 1
        changes.bump("fund")
        figure_get(SLUG, {})
        assert len(CALLS) == 2

    def test_errors_are_not_cached(self, sample_figure):
        for _attempt in range(2):
            with pytest.raises(NotFoundError):
                figure_get(SLUG, {"donor": "ZZ"})
        assert len(CALLS) == 2

    def test_registered_figures_include_app_figures_and_test_figure(self, sample_figure):
        slugs = [registered.slug for registered in registered_figures()]
        assert SLUG in slugs
        assert slugs == sorted(slugs)

    def test_unknown_topic_is_refused_at_registration(self):
        with pytest.raises(ValueError, match="unknown topics"):
            register_figure("test-bad-topic", topics=("money",))

    def test_a_slug_cannot_be_taken_twice(self, sample_figure):
        def other(*, params):
            raise AssertionError("never called")

        with pytest.raises(ValueError, match="already registered"):
            register_figure(SLUG, topics=("fund",))(other)

    def test_function_must_return_a_figure(self):
        @register_figure("test-not-a-figure")
        def not_a_figure(*, params):
            return {"title": "x"}

        from compacts.core.figures import unregister_figure

        try:
            with pytest.raises(TypeError, match="returned dict"):
                figure_get("test-not-a-figure", {})
        finally:
            unregister_figure("test-not-a-figure")


class CleanParamsTests:
    def test_values_become_strings_sorted_by_name(self):
        assert clean_params({"b": 2, "a": "x"}) == {"a": "x", "b": "2"}
        assert list(clean_params({"b": 2, "a": "x"})) == ["a", "b"]

    def test_lists_keep_their_last_value_and_empty_lists_are_dropped(self):
        assert clean_params({"a": ["1", "2"], "b": []}) == {"a": "2"}

    def test_long_and_many_params_are_bounded(self):
        many = {f"p{i:02d}": "x" * 1000 for i in range(50)}
        cleaned = clean_params(many)
        assert len(cleaned) == MAX_PARAMS
        assert all(len(value) == MAX_PARAM_LENGTH for value in cleaned.values())


class ModelTests:
    def test_unknown_column_kind_is_refused(self):
        with pytest.raises(ValueError, match="Unknown column kind"):
            Column("x", "X", kind="currency")

    def test_duplicate_column_keys_are_refused(self):
        with pytest.raises(ValueError, match="duplicate column keys"):
            Figure(title="T", columns=[Column("a", "A"), Column("a", "B")], rows=[])
