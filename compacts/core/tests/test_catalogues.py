"""Every user-facing string is in all six languages: no catalogue lacks a string or holds a fuzzy
or empty one (`uv run compacts i18n sync APP`, then translate)."""

import polib
import pytest
from django.conf import settings

from compacts.core.i18n import (
    TARGET_LANGUAGES,
    catalogue_path,
    catalogue_problems,
    extract_messages,
    project_app_dirs,
)

APP_DIRS = {path.name: path for path in project_app_dirs()}


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
@pytest.mark.parametrize("app", sorted(APP_DIRS))
def test_catalogue_is_complete(app, language):
    app_dir = APP_DIRS[app]
    messages = extract_messages(app_dir)
    path = catalogue_path(app_dir, language)
    if not messages:
        assert not path.exists() or not [e for e in polib.pofile(str(path)) if not e.obsolete]
        return
    assert path.exists(), f"{app} has {len(messages)} strings but no {language} catalogue"
    po = polib.pofile(str(path))
    in_catalogue = {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}
    missing = sorted(msgid for (_ctx, msgid) in set(messages) - in_catalogue)
    assert not missing, f"{app}/{language} lacks {len(missing)} strings, e.g. {missing[:5]}"
    problems = catalogue_problems(po)
    assert not problems, f"{app}/{language}: {len(problems)} problems, e.g. {problems[:5]}"


def test_the_six_un_languages_are_configured():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "es", "ar", "zh-hans", "ru"]
    assert settings.LANGUAGES_BIDI == ["ar"]


class ExtractionTests:
    def test_finds_strings_in_python_and_templates(self, tmp_path):
        (tmp_path / "views.py").write_text(
            "from django.utils.translation import gettext as _, pgettext\n"
            'A = _("Hello")\nB = pgettext("money", "Balance")\n'
        )
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "page.html").write_text(
            '{% load i18n %}<h1>{% translate "Title" %}</h1>'
            "{% blocktranslate count n=items|length %}{{ n }} item{% plural %}{{ n }} items"
            "{% endblocktranslate %}"
        )
        found = extract_messages(tmp_path)
        assert (None, "Hello") in found
        assert ("money", "Balance") in found
        assert (None, "Title") in found
        assert found[(None, "%(n)s item")][2] == "%(n)s items"

    def test_ignores_tests_and_migrations(self, tmp_path):
        (tmp_path / "tests").mkdir()
        (tmp_path / "tests" / "test_x.py").write_text('_("only in tests")\n')
        assert extract_messages(tmp_path) == {}
