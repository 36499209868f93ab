"""Disaggregation columns and values of the SDG/SDMX vocabulary are shown in the reader's
language; any other text from the data is shown as stored, and filters, addresses and downloads
keep the stored text (``disaggregation.py``)."""

import pytest
from django.test import Client
from django.utils import translation

from compacts.tracking.disaggregation import column_label, series_label, value_label
from compacts.tracking.tests import scenario


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Age: 15-24 years, Migratory status: Non-migrant, Sex: Female"),
        ("fr", "Âge: 15-24 ans, Statut migratoire: Non-migrants, Sexe: Femmes"),
        ("es", "Edad: 15-24 años, Condición migratoria: No migrantes, Sexo: Mujeres"),
        ("ar", "العمر: 15-24 سنة, وضع الهجرة: غير مهاجرين, الجنس: إناث"),
        ("zh-hans", "年龄: 15-24 岁, 移民身份: 非移民, 性别: 女性"),
        ("ru", "Возраст: 15–24 лет, Миграционный статус: Немигранты, Пол: Женщины"),
    ],
)
def test_vocabulary_in_six_languages(language, expected):
    with translation.override(language):
        assert (
            series_label({"Sex": "Female", "Migratory status": "Non-migrant", "Age": "15-24"})
            == expected
        )


def test_free_text_is_shown_as_stored():
    """A column or value outside the vocabulary (here a national category) is not guessed at;
    an age-like value outside the Age column is not rewritten."""
    with translation.override("fr"):
        assert column_label("Province") == "Province"
        assert value_label("Sex", "Femme enceinte") == "Femme enceinte"
        assert value_label("Cohort", "15-24") == "15-24"
        assert value_label("Age", "65+") == "65 ans et plus"
        assert value_label("Age", "Working age") == "Working age"
        assert series_label({}) == "Total"


@pytest.mark.django_db
def test_indicator_page_in_french():
    """The filters show "Femmes" for the stored value "Female" (the address keeps "Female"),
    and the series table and the map's description name the series in French."""
    scenario.build()
    page = (
        Client()
        .get("/tracking/indicators/3-8-1/?country=504", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert '<option value="Female">Femmes</option>' in page
    assert ">Sexe</label>" in page
    assert ">Statut migratoire</label>" in page
    filtered = (
        Client()
        .get("/tracking/indicators/3-8-1/?country=504&d-Sex=Female", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert '<option value="Female" selected>Femmes</option>' in filtered
    assert "<td>Sexe: Femmes" in filtered
    assert "Série : Sexe: Femmes." in filtered  # the map's description
    assert "Sexe: Hommes" not in filtered
