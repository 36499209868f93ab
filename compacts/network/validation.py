"""Checks shared by the services and the forms: a practice's required fields, attachments."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

# Attachments: office documents, PDF, text and images, like the Hub's forms (facts.md §4).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".rtf": "application/rtf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# The first bytes each kind of file must start with; a renamed executable is refused.
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".rtf": (b"{\\rtf",),
    ".docx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}

REQUIRED_PRACTICE_FIELDS = {
    "title": _("Title"),
    "place": _("Countries or region"),
    "objectives": _("GCM objectives"),
    "principles": _("Guiding principles"),
    "starts_on": _("Start of the period"),
    "description": _("Description"),
    "results": _("Results"),
    "innovation": _("What makes it innovative"),
    "replicability": _("What makes it replicable"),
}


def practice_missing_fields(practice) -> dict[str, str]:
    """The required template fields still empty, by field name, with their labels."""
    missing: dict[str, str] = {}
    for name in ("title", "description", "results", "innovation", "replicability"):
        if not (getattr(practice, name) or "").strip():
            missing[name] = str(REQUIRED_PRACTICE_FIELDS[name])
    if practice.starts_on is None:
        missing["starts_on"] = str(REQUIRED_PRACTICE_FIELDS["starts_on"])
    if not practice.pk or not (practice.countries.exists() or practice.regions.exists()):
        missing["place"] = str(REQUIRED_PRACTICE_FIELDS["place"])
    if not practice.pk or not practice.objectives.exists():
        missing["objectives"] = str(REQUIRED_PRACTICE_FIELDS["objectives"])
    if not practice.pk or not practice.principles.exists():
        missing["principles"] = str(REQUIRED_PRACTICE_FIELDS["principles"])
    return missing


def attachment_problem(*, name: str, size: int, head: bytes) -> str | None:
    """Why an upload is refused (size, type, content not matching its type), or ``None``."""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        return str(
            _("Files of type %(type)s are not accepted. Accepted types: %(allowed)s.")
            % {
                "type": extension or "?",
                "allowed": ", ".join(sorted(e.lstrip(".") for e in ALLOWED_EXTENSIONS)),
            }
        )
    if size > MAX_ATTACHMENT_BYTES:
        return str(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024}
        )
    if size == 0:
        return str(_("The file is empty."))
    prefixes = _MAGIC.get(extension)
    if prefixes and not head.startswith(prefixes):
        return str(
            _("The file's content does not match its %(type)s extension.")
            % {"type": extension.lstrip(".")}
        )
    return None
