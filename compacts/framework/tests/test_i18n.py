from types import SimpleNamespace

from compacts.framework.i18n import localized_name


def test_localized_name_falls_back_to_english():
    obj = SimpleNamespace(name="Egypt", names={"en": "Egypt", "fr": "Égypte", "zh-hans": "埃及"})
    assert localized_name(obj, "fr") == "Égypte"
    assert localized_name(obj, "zh-hans") == "埃及"
    assert localized_name(obj, "fr-ca") == "Égypte"
    assert localized_name(obj, "xx") == "Egypt"
    assert localized_name(SimpleNamespace(name="Data", names={}), "ar") == "Data"
    goal = SimpleNamespace(title="End poverty", titles={"es": "Poner fin a la pobreza"})
    assert localized_name(goal, "es", field="title") == "Poner fin a la pobreza"
    assert localized_name(goal, "ru", field="title") == "End poverty"
