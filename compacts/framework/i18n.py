"""Reference names in the reader's language, where the source has them."""

from django.utils.translation import get_language


def localized_name(obj, language: str | None = None, *, field: str = "name") -> str:
    """``obj.<field>s[language]`` where the source gave that language, else English ``obj.<field>``.

    Unknown or regional language codes fall back sensibly (``fr-ca`` -> ``fr`` -> English).
    """
    language = (language or get_language() or "en").lower()
    default = getattr(obj, field, "") or ""
    names = getattr(obj, f"{field}s", None)
    if isinstance(obj, dict):
        default, names = obj.get(field, ""), obj.get(f"{field}s")
    if not isinstance(names, dict) or not names:
        return default
    for candidate in (language, language.split("-")[0]):
        value = names.get(candidate)
        if value:
            return value
    return default
