"""Message catalogues without GNU gettext: extraction with Babel, catalogues with polib.

Each app keeps ``locale/<lang>/LC_MESSAGES/django.po``. ``compacts i18n sync`` adds the strings
found in the app's code and templates and drops those no longer used; ``compacts i18n compile``
writes the ``.mo`` files (``compacts up`` and the test run do it too). The completeness test
fails when a catalogue lacks a string or holds a fuzzy or empty one.
"""

import io
import os
from collections.abc import Iterator
from pathlib import Path

import polib
from babel.messages.extract import extract_python
from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
SKIP_DIRS = {"tests", "migrations", "static", "locale", "data", "__pycache__"}
TARGET_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]

Message = tuple[str | None, str, str | None]  # (context, msgid, msgid_plural)


def _source_files(app_dir: Path) -> Iterator[Path]:
    for path in sorted(app_dir.rglob("*")):
        if any(part in SKIP_DIRS for part in path.relative_to(app_dir).parts[:-1]):
            continue
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            yield path


def _extract(source: str) -> Iterator[Message]:
    options = {"encoding": "utf-8"}
    for _lineno, funcname, messages, _comments in extract_python(
        io.BytesIO(source.encode("utf-8")), list(KEYWORDS), [], options
    ):
        spec = KEYWORDS.get(funcname)
        if not isinstance(messages, tuple):
            messages = (messages,)
        context = None
        if funcname.startswith(("pgettext", "npgettext")):
            context, messages = messages[0], messages[1:]
        if not messages or not isinstance(messages[0], str):
            continue
        plural = (
            messages[1] if spec and len(messages) > 1 and isinstance(messages[1], str) else None
        )
        yield (context, messages[0], plural)


def extract_messages(app_dir: Path) -> dict[tuple[str | None, str], Message]:
    """Every translatable string in an app's Python code and templates."""
    found: dict[tuple[str | None, str], Message] = {}
    for path in _source_files(app_dir):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            if "gettext" not in text and "_(" not in text:
                continue
            source = text
        else:
            if "trans" not in text and "translate" not in text:
                continue
            source = templatize(text, origin=str(path))
        for message in _extract(source):
            found.setdefault((message[0], message[1]), message)
    return found


def catalogue_path(app_dir: Path, language: str) -> Path:
    return app_dir / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"


def sync_catalogues(app_dir: Path) -> dict[str, int]:
    """Bring each language's .po in line with the app's strings; returns untranslated counts."""
    messages = extract_messages(app_dir)
    missing: dict[str, int] = {}
    for language in TARGET_LANGUAGES:
        path = catalogue_path(app_dir, language)
        if not messages and not path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        po = polib.pofile(str(path)) if path.exists() else polib.POFile()
        po.metadata = {
            "Project-Id-Version": "compacts",
            "Language": to_locale(language),
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": PLURAL_FORMS[language],
        }
        existing = {(entry.msgctxt, entry.msgid): entry for entry in po}
        for key, (context, msgid, plural) in messages.items():
            if key not in existing:
                entry = polib.POEntry(msgctxt=context, msgid=msgid, msgstr="")
                if plural:
                    entry.msgid_plural = plural
                    entry.msgstr = ""
                    entry.msgstr_plural = {i: "" for i in range(PLURAL_COUNT[language])}
                po.append(entry)
        for key, entry in existing.items():
            if key not in messages:
                po.remove(entry)
        po.sort(key=lambda entry: (entry.msgctxt or "", entry.msgid))
        po.save(str(path))
        missing[language] = len(catalogue_problems(po))
    return missing


def catalogue_problems(po: polib.POFile) -> list[str]:
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
    return problems


def compile_catalogues(app_dirs: list[Path]) -> int:
    """Write each .mo beside its .po unless the .mo is strictly newer; returns how many."""
    written = 0
    for app_dir in app_dirs:
        for po_path in sorted((app_dir / "locale").glob("*/LC_MESSAGES/django.po")):
            mo_path = po_path.with_suffix(".mo")
            if (
                mo_path.exists()
                and mo_path.stat().st_mtime_ns > po_path.stat().st_mtime_ns + 1_000_000_000
            ):
                continue
            # Write beside, then rename: parallel test workers may compile at the same time.
            partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
            polib.pofile(str(po_path)).save_as_mofile(str(partial))
            os.replace(partial, mo_path)
            written += 1
    return written


def project_app_dirs() -> list[Path]:
    from django.apps import apps

    return [
        Path(config.path)
        for config in apps.get_app_configs()
        if config.name.startswith("compacts.")
    ]


PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 ? 4 : 5);",
    "zh-hans": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}
PLURAL_COUNT = {"fr": 2, "es": 2, "ar": 6, "zh-hans": 1, "ru": 3}
