"""The one way compacts reads IATI XML: a hardened lxml parser and a streaming reader.

Every IATI file the platform reads (uploads, imports, the validator, tests) goes through
:func:`parse` or :func:`iter_records`. Both use the same parser options:

- ``resolve_entities=False``: entity references are never expanded, so an entity-expansion
  ("billion laughs") document cannot blow up memory, and an external entity (XXE,
  ``file://`` or ``http://``) is never read;
- ``load_dtd=False`` and ``no_network=True``: no DTD is loaded, nothing is fetched;
- ``huge_tree=False``: libxml2's own limits on text node size and tree depth stay on;
- a resolver that refuses every URL, as a second guard if an option is ever changed.

On top of that, a document that declares a DOCTYPE is refused with :class:`UnsafeXmlError`:
IATI files never use a DTD, and a DTD is where entity attacks live. Malformed or truncated
input raises :class:`IatiXmlError` naming the line and column.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from lxml import etree

from compacts.core.exceptions import ApplicationError

Source = str | os.PathLike | bytes | IO[bytes]

#: The record elements of the two IATI file types, and their root elements.
RECORD_TAGS = ("iati-activity", "iati-organisation")
ROOT_TAGS = {"iati-activities": "iati-activity", "iati-organisations": "iati-organisation"}

# Messages people see (the upload report); libxml2's own text is appended untranslated.
MSG_UNREADABLE = _("cannot read the file (%(reason)s)")
MSG_TRUNCATED = _("the document stops before it is complete: is the file truncated?")
MSG_ENTITY = _("refused: entity declarations are not processed in IATI files")
MSG_DOCTYPE_ENTITIES = _(
    "DOCTYPE declarations are not accepted: it declares the entities %(names)s "
    "(entity expansion and external entities are refused)"
)
MSG_DOCTYPE_EXTERNAL = _(
    "DOCTYPE declarations are not accepted: it refers to an external DTD (%(url)s), refused"
)
MSG_DOCTYPE = _("DOCTYPE declarations are not accepted: IATI files do not use a DTD")
MSG_NOT_IATI = _(
    "the root element is <%(tag)s>, not <iati-activities> or <iati-organisations>: "
    "this is not an IATI file"
)

PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
}


class IatiXmlError(ApplicationError):
    """The input is not well-formed XML (or is unreadable). Carries the line where known."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.line = line
        self.column = column
        where = []
        if source:
            where.append(source)
        if line:
            where.append(f"line {line}" + (f", column {column}" if column else ""))
        text = f"{': '.join(where)}: {message}" if where else message
        super().__init__(text, {"source": source, "line": line, "column": column})


class UnsafeXmlError(IatiXmlError):
    """The input uses a DTD, entity declarations or external references: refused."""


class _RefuseEverything(etree.Resolver):
    """Resolver of last resort: no URL (file://, http://, relative) is ever opened."""

    def resolve(self, url, pubid, context):  # noqa: ARG002 - lxml's signature
        raise UnsafeXmlError(f"external resource refused: {url}")


def make_parser(**overrides: Any) -> etree.XMLParser:
    """Return a new hardened ``XMLParser`` (options above; ``overrides`` for e.g.
    ``remove_blank_text``). Never pass ``resolve_entities``, ``load_dtd`` or ``no_network``."""
    for key in ("resolve_entities", "load_dtd", "no_network", "huge_tree", "dtd_validation"):
        if key in overrides:
            raise ValueError(f"{key} is fixed by the hardened parser")
    parser = etree.XMLParser(**PARSER_OPTIONS, **overrides)
    parser.resolvers.add(_RefuseEverything())
    return parser


def source_name(source: Source) -> str:
    """A short label for messages: the file name, or ``<bytes>`` / ``<stream>``."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    if isinstance(source, bytes | bytearray):
        return "<bytes>"
    return getattr(source, "name", None) or "<stream>"


def _open(source: Source) -> IO[bytes]:
    """Open ``source`` as a binary stream. Paths are opened by us, so that lxml never treats
    the document itself as a URL to resolve."""
    if isinstance(source, str | os.PathLike):
        try:
            return open(source, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise IatiXmlError(
                f"cannot read the file ({exc.strerror})", source=str(source)
            ) from exc
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    return source


_POSITION_SUFFIX = re.compile(r", line \d+, column \d+$")


def _syntax_error(exc: etree.XMLSyntaxError, name: str, stream: IO[bytes]) -> IatiXmlError:
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = _POSITION_SUFFIX.sub("", exc.msg or str(exc))
    if not line:
        # iterparse sometimes only says "no element found": the cause is the last error
        # libxml2 logged (an undefined entity, for instance).
        logged = [e for e in exc.error_log if e.level >= etree.ErrorLevels.ERROR]
        if logged:
            line, column, message = logged[-1].line, logged[-1].column, logged[-1].message

    if _ends_at_line(stream, line):
        message += f" ({MSG_TRUNCATED})"
    lowered = message.lower()
    if "amplification" in lowered or ("entity" in lowered and "loop" in lowered):
        message += f" ({MSG_ENTITY})"
        return UnsafeXmlError(message, source=name, line=line, column=column)
    return IatiXmlError(message, source=name, line=line, column=column)


def _ends_at_line(stream: IO[bytes], line: int | None) -> bool:
    """Whether the input's last line is ``line`` (the parser failed where the data runs out)."""
    if not line:
        return False
    try:
        stream.seek(0)
        newlines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    except (OSError, ValueError):
        return False
    return line >= newlines  # the last line, with or without a final newline


def check_no_doctype(tree: etree._ElementTree, *, name: str = "<document>") -> None:
    """Refuse a document that declares a DOCTYPE (internal subset, entities, external DTD)."""
    info = tree.docinfo
    dtd = info.internalDTD
    if dtd is None and not info.system_url and not info.public_id:
        return
    entities = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if entities:
        message = MSG_DOCTYPE_ENTITIES % {"names": ", ".join(sorted(entities))}
    elif info.system_url or info.public_id:
        message = MSG_DOCTYPE_EXTERNAL % {"url": info.system_url or info.public_id}
    else:
        message = str(MSG_DOCTYPE)
    raise UnsafeXmlError(str(message), source=name)


def parse(source: Source, *, name: str | None = None) -> etree._ElementTree:
    """Parse a whole document (path, bytes or binary stream) with the hardened parser.

    Raises :class:`IatiXmlError` (malformed, truncated, unreadable) or :class:`UnsafeXmlError`
    (DTD, entities, external references)."""
    label = name or source_name(source)
    stream = _open(source)
    try:
        tree = etree.parse(stream, make_parser())
    except UnsafeXmlError as exc:
        exc.source = exc.source or label
        raise
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, label, stream) from exc
    finally:
        if stream is not source:
            stream.close()
    check_no_doctype(tree, name=label)
    return tree


def as_tree(document: Source | etree._ElementTree | etree._Element) -> etree._ElementTree:
    """An element tree for ``document``: already-parsed trees pass through, anything else is
    parsed with :func:`parse`."""
    if isinstance(document, etree._ElementTree):
        return document
    if isinstance(document, etree._Element):
        return document.getroottree()
    return parse(document)


@dataclass
class Record:
    """One ``iati-activity`` or ``iati-organisation`` read by :func:`iter_records`.

    ``element`` is only valid until the iterator advances (it is cleared to keep memory flat);
    use it, or :meth:`standalone`, inside the loop."""

    element: etree._Element
    index: int
    line: int
    root_tag: str
    root_attrib: dict[str, str]
    root_nsmap: dict[str | None, str] = field(default_factory=dict)

    @property
    def identifier(self) -> str | None:
        """The record's ``iati-identifier`` / ``organisation-identifier`` text, if any."""
        tag = (
            "iati-identifier" if self.element.tag == "iati-activity" else "organisation-identifier"
        )
        found = next(self.element.iterchildren(tag), None)  # find(), without ElementPath
        return (found.text or "").strip() or None if found is not None else None

    @property
    def line_offset(self) -> int:
        """Add this to a line of :meth:`standalone` to get the line in the original file."""
        return (self.line or 1) - 1

    def standalone(self) -> etree._ElementTree:
        """A one-record document (the root element with its attributes and namespaces, and a
        copy of this record) that can be validated on its own. The record starts on line 1:
        ``validate(record.standalone(), line_offset=record.line_offset)`` reports the
        original file's lines."""
        root = etree.Element(self.root_tag, attrib=self.root_attrib, nsmap=self.root_nsmap)
        shell = etree.tostring(root).decode()
        start = shell[:-2] + ">" if shell.endswith("/>") else shell[: shell.rindex("</")]
        body = etree.tostring(self.element, with_tail=False).decode()
        text = f"{start}{body}</{self.root_tag}>"
        return etree.ElementTree(etree.fromstring(text.encode(), make_parser()))

    def shell(self) -> etree._Element:
        """An empty root element like the file's (its attributes and namespaces), to move
        records under: see :meth:`detach`."""
        return etree.Element(self.root_tag, attrib=self.root_attrib, nsmap=self.root_nsmap)

    def detach(self, root: etree._Element | None = None) -> etree._ElementTree:
        """Move the record out of the streamed tree, under ``root`` (a new :meth:`shell` by
        default; the importer gathers a batch of records under one) and return that document:
        no serialising and re-parsing, and the nodes keep the file's own line numbers (offset
        0, big lines included). A moved record belongs to the caller: the iterator no longer
        clears it. The streamed tree may already hold the start of the next record, so a
        whole-document check must not run on ``element.getroottree()``: use this, or
        :meth:`standalone`."""
        root = self.shell() if root is None else root
        root.append(self.element)
        return root.getroottree()


def iter_records(source: Source, *, name: str | None = None) -> Iterator[Record]:
    """Stream the activities (or organisations) of an IATI file one at a time, in constant
    memory: each record is cleared, with its already-read siblings, once the caller moves on.

    Raises :class:`IatiXmlError` at the first malformed or truncated point (with its line),
    :class:`UnsafeXmlError` for a DOCTYPE, and ``IatiXmlError`` when the root element is not
    ``iati-activities`` / ``iati-organisations``."""
    label = name or source_name(source)
    stream = _open(source)
    context = etree.iterparse(
        stream, events=("start", "end"), tag=(*ROOT_TAGS, *RECORD_TAGS), **PARSER_OPTIONS
    )
    context.resolvers.add(_RefuseEverything())
    root: etree._Element | None = None
    index = 0
    try:
        for event, element in context:
            if root is None:
                root = _check_root(element.getroottree(), label)
            if event == "start" or element.getparent() is not root:
                continue
            if element.tag != ROOT_TAGS[root.tag]:
                continue
            position = root.index(element)
            yield Record(
                element=element,
                index=index,
                line=element.sourceline,
                root_tag=root.tag,
                root_attrib=dict(root.attrib),
                root_nsmap=dict(root.nsmap),
            )
            index += 1
            # Drop the record and anything before it: memory stays flat however long the file.
            if element.getparent() is not root:
                # Record.detach() moved it: it is the caller's now. What came before it
                # (comments...) goes; what follows may be records not yet handed out.
                del root[:position]
                continue
            element.clear()
            while len(root):
                first = root[0]
                del root[0]
                if first is element:
                    break
        if root is None:
            _check_root(context.root.getroottree(), label)
    except UnsafeXmlError as exc:
        exc.source = exc.source or label
        raise
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, label, stream) from exc
    finally:
        if stream is not source:
            stream.close()


def _check_root(tree: etree._ElementTree, label: str) -> etree._Element:
    check_no_doctype(tree, name=label)
    root = tree.getroot()
    if root.tag not in ROOT_TAGS:
        raise IatiXmlError(
            str(MSG_NOT_IATI % {"tag": root.tag}),
            source=label,
            line=root.sourceline,
        )
    return root


def file_kind(tree: etree._ElementTree) -> str | None:
    """``"activity"`` or ``"organisation"`` from the root element, else ``None``."""
    return {"iati-activities": "activity", "iati-organisations": "organisation"}.get(
        tree.getroot().tag
    )


def data_path(*parts: str) -> Path:
    """A path inside the package's IATI reference data (``compacts/iati/data``)."""
    return Path(__file__).resolve().parent.joinpath("data", *parts)
