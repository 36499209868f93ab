"""Validate a document against the official IATI 2.03 XML schemas shipped in the package.

The schemas are read from ``compacts/iati/data/schemas-2.03`` (they include ``iati-common.xsd``
and import ``xml.xsd`` by relative path) with a parser that may open files of that folder
only: nothing is fetched from the network. Each compiled schema is cached per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from compacts.iati.validation.findings import Finding, Severity, Source
from compacts.iati.xml import data_path

SCHEMA_DIR = data_path("schemas-2.03")
SCHEMA_FILES = {
    "activity": "iati-activities-schema.xsd",
    "organisation": "iati-organisations-schema.xsd",
    "registry": "iati-registry-record-schema.xsd",
}
#: IATI's validator reports every schema error under this id (category "schema").
SCHEMA_RULE_ID = "0.3.1"


class _SchemaFolderOnly(etree.Resolver):
    """Resolve schema includes/imports to files of the package's schema folder, nothing else."""

    def resolve(self, url, pubid, context):  # noqa: ARG002 - lxml's signature
        candidate = Path(url.removeprefix("file://")).resolve()
        if candidate.parent != SCHEMA_DIR or not candidate.is_file():
            candidate = SCHEMA_DIR / Path(url).name
        if candidate.is_file() and candidate.parent == SCHEMA_DIR:
            return self.resolve_filename(str(candidate), context)
        raise OSError(f"schema resource outside the package refused: {url}")


@cache
def get_schema(kind: str) -> etree.XMLSchema:
    """The compiled XSD for ``kind`` (``activity``, ``organisation`` or ``registry``)."""
    try:
        filename = SCHEMA_FILES[kind]
    except KeyError:
        raise ValueError(f"unknown IATI schema kind {kind!r}") from None
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_SchemaFolderOnly())
    document = etree.parse(str(SCHEMA_DIR / filename), parser)
    return etree.XMLSchema(document)


def schema_errors(tree: etree._ElementTree | etree._Element, *, kind: str) -> list:
    """The raw lxml error-log entries of validating ``tree`` against the ``kind`` schema."""
    schema = get_schema(kind)
    if schema.validate(tree):
        return []
    return list(schema.error_log)


def validate_schema(
    tree: etree._ElementTree | etree._Element, *, kind: str, locate=None
) -> list[Finding]:
    """Schema findings (all errors) with line numbers and libxml2's messages.

    ``locate`` maps a line number to the identifier of the activity at that line."""
    return [
        Finding(
            severity=Severity.ERROR,
            source=Source.SCHEMA,
            rule_id=SCHEMA_RULE_ID,
            message=entry.message,
            line=entry.line or None,
            activity=locate(entry.line) if locate and entry.line else None,
            path=entry.path or None,
            category="schema",
        )
        for entry in schema_errors(tree, kind=kind)
    ]
