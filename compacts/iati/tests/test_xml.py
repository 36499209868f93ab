"""The hardened parser: attacks are refused, malformed input names its line, streams stay flat."""

import io

import pytest
from lxml import etree

from compacts.iati.xml import (
    IatiXmlError,
    UnsafeXmlError,
    data_path,
    iter_records,
    make_parser,
    parse,
)

IOM = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>&lol9;</iati-identifier></iati-activity></iati-activities>
"""


def xxe_file(secret) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>
""".encode()


XXE_HTTP = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [ <!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret"> ]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://127.0.0.1:9/iati.dtd">
<iati-activities version="2.03"/>
"""


def parameter_entity(dtd_path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [ <!ENTITY % remote SYSTEM "file://{dtd_path}"> %remote; ]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>&leak;</iati-identifier></iati-activity></iati-activities>
""".encode()


TRUNCATED = b"""<?xml version="1.0"?>
<iati-activities version="2.03">
<iati-activity><iati-identifier>XM-1</iati-identifier></iati-activity>
<iati-activity><iati-identifier>XM-2</iati-identif"""


def both_readers():
    """parse() and iter_records() must behave the same on hostile input."""
    return [
        pytest.param(lambda source: parse(source), id="parse"),
        pytest.param(lambda source: list(iter_records(source)), id="iter_records"),
    ]


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-VALUE")
    return path


@pytest.mark.parametrize("read", both_readers())
class TestAttacks:
    def test_billion_laughs_is_refused_without_expansion(self, read):
        """Entity expansion: refused with a message naming the entities, nothing expanded."""
        with pytest.raises(UnsafeXmlError) as caught:
            read(BILLION_LAUGHS)
        # libxml2's own amplification guard or our DOCTYPE check stops it, whichever is first.
        assert "entit" in caught.value.message
        assert "refused" in caught.value.message
        assert "lollollol" not in caught.value.message

    def test_xxe_file_is_refused_and_never_read(self, read, secret, tmp_path):
        """External entity on file://: refused; the secret never appears anywhere."""
        with pytest.raises(UnsafeXmlError) as caught:
            read(xxe_file(secret))
        assert "xxe" in caught.value.message
        assert "TOP-SECRET-VALUE" not in caught.value.message

    def test_xxe_file_from_a_path(self, read, secret, tmp_path):
        """The same attack in a file on disk (the CLI's and import's case) names the file."""
        path = tmp_path / "attack.xml"
        path.write_bytes(xxe_file(secret))
        with pytest.raises(UnsafeXmlError) as caught:
            read(path)
        assert str(path) in caught.value.message

    def test_xxe_http_is_refused(self, read):
        """External entity on http://: refused, no network access is attempted."""
        with pytest.raises(UnsafeXmlError, match="xxe"):
            read(XXE_HTTP)

    def test_external_dtd_is_refused(self, read):
        with pytest.raises(UnsafeXmlError, match="external DTD"):
            read(EXTERNAL_DTD)

    def test_parameter_entity_is_refused(self, read, tmp_path, secret):
        """A parameter entity pulling a DTD from disk is refused (and the DTD is not read)."""
        dtd = tmp_path / "evil.dtd"
        dtd.write_text('<!ENTITY leak "LEAKED">')
        with pytest.raises(UnsafeXmlError, match="remote"):
            read(parameter_entity(dtd))

    def test_truncated_file_names_its_line(self, read):
        with pytest.raises(IatiXmlError) as caught:
            read(TRUNCATED)
        assert caught.value.line == 4
        assert "truncated" in caught.value.message
        assert "line 4" in caught.value.message

    def test_malformed_xml_names_line_and_column(self, read):
        with pytest.raises(IatiXmlError) as caught:
            read(b"<iati-activities>\n<iati-activity>\n</wrong></iati-activities>\n\n\n")
        assert (caught.value.line, caught.value.column) == (3, 9)
        assert "mismatch" in caught.value.message
        assert "truncated" not in caught.value.message

    def test_undefined_entity_is_malformed_not_an_attack(self, read):
        with pytest.raises(IatiXmlError) as caught:
            read(b'<iati-activities version="2.03">\n<title>a&nbsp;b</title></iati-activities>')
        assert not isinstance(caught.value, UnsafeXmlError)
        assert "nbsp" in caught.value.message
        assert caught.value.line == 2

    def test_missing_file_is_a_clear_error(self, read, tmp_path):
        with pytest.raises(IatiXmlError, match="cannot read the file"):
            read(tmp_path / "nope.xml")

    def test_empty_input(self, read):
        with pytest.raises(IatiXmlError):
            read(b"")


def test_unsafe_is_an_iati_xml_error():
    """Callers that catch IatiXmlError also catch the attacks."""
    assert issubclass(UnsafeXmlError, IatiXmlError)


def test_hardened_options_cannot_be_overridden():
    with pytest.raises(ValueError, match="resolve_entities"):
        make_parser(resolve_entities=True)
    with pytest.raises(ValueError, match="no_network"):
        make_parser(no_network=False)


def test_a_harmless_document_parses_with_lines():
    tree = parse(IOM)
    assert tree.getroot().tag == "iati-activities"
    assert tree.find("iati-activity/iati-identifier").sourceline == 3


def test_iter_records_streams_every_record_and_clears_the_previous_ones():
    data = (
        b"<iati-activities version='2.03'>"
        + b"".join(
            f"\n<iati-activity><iati-identifier>XM-{n}</iati-identifier></iati-activity>".encode()
            for n in range(50)
        )
        + b"\n</iati-activities>"
    )
    seen = []
    for record in iter_records(io.BytesIO(data)):
        seen.append((record.index, record.identifier, record.line))
        # Everything read before this record has been dropped from the tree.
        assert record.element.getprevious() is None
        assert record.root_attrib == {"version": "2.03"}
    assert seen[0] == (0, "XM-0", 2)
    assert seen[-1] == (49, "XM-49", 51)
    assert len(seen) == 50


def test_iter_records_standalone_keeps_root_attributes_and_maps_lines():
    documents = [(record.standalone(), record.line_offset) for record in iter_records(IOM)]
    assert len(documents) == 1
    document, offset = documents[0]
    root = document.getroot()
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2021-02-26T11:20:25+00:00"
    assert root[0].find("iati-identifier").text == "XM-DAC-47066-DP.2154"
    original = parse(IOM).find("iati-activity/budget").sourceline
    assert root[0].find("budget").sourceline + offset == original


def test_standalone_lines_beyond_65535():
    """Lines past 65535 are kept (libxml2's big-line mode) and the offset maps a standalone
    record's lines back. Past 65535 libxml2 takes an element's line from the text that follows
    its start tag, so here it says 70002 where the tag opens on 70001."""
    data = (
        b"<iati-activities version='2.03'>" + b"\n" * 70000
        + b"<iati-activity>\n<iati-identifier>XM-1</iati-identifier>\n</iati-activity>"
        + b"</iati-activities>"
    )  # fmt: skip
    seen = [
        (record.line, record.standalone().find("iati-activity/iati-identifier").sourceline
         + record.line_offset)
        for record in iter_records(data)
    ]  # fmt: skip
    assert seen == [(70002, 70003)]


def test_iter_records_refuses_a_file_that_is_not_iati():
    with pytest.raises(IatiXmlError, match="not an IATI file"):
        list(iter_records(b"<html><body><p>hello</p></body></html>"))


def test_iter_records_reports_records_before_a_truncation():
    """Records before the broken point are delivered; then the error with its line."""
    seen = []

    def read_all():
        for record in iter_records(TRUNCATED):
            seen.append(record.identifier)

    with pytest.raises(IatiXmlError) as caught:
        read_all()
    assert seen == ["XM-1"]
    assert caught.value.line == 4


def test_organisation_files_stream_organisations():
    data = (
        b"<iati-organisations version='2.03'><iati-organisation>"
        b"<organisation-identifier>XM-DAC-47066</organisation-identifier>"
        b"</iati-organisation></iati-organisations>"
    )
    seen = [(record.identifier, record.root_tag) for record in iter_records(data)]
    assert seen == [("XM-DAC-47066", "iati-organisations")]


def test_a_record_is_cleared_once_the_iterator_moves_on():
    """The documented contract: use the element inside the loop."""
    records = list(iter_records(IOM))
    assert len(records) == 1
    assert records[0].element.find("iati-identifier") is None


def test_detached_records_belong_to_the_caller_and_every_later_record_still_comes():
    """Records moved under one root (the importer's batches) are not cleared, and moving one
    out never loses the records the parser has already read ahead, nor keeps what came before
    (comments) in memory."""
    data = (
        b"<iati-activities version='2.03'>"
        + b"".join(
            f"<!-- {n} --><iati-activity><iati-identifier>XM-{n}</iati-identifier>"
            f"<title/></iati-activity>".encode()
            for n in range(300)
        )
        + b"</iati-activities>"
    )
    batch = None
    for record in iter_records(io.BytesIO(data)):
        # Only this record's own comment is left before it: earlier ones were dropped.
        assert record.element.getprevious().tag is etree.Comment
        assert record.element.getprevious().getprevious() is None
        batch = record.shell() if batch is None else batch
        record.detach(batch)
    assert [e.findtext("iati-identifier") for e in batch] == [f"XM-{n}" for n in range(300)]
    assert all(len(e) == 2 for e in batch)  # not cleared
    assert batch.get("version") == "2.03"


def test_detach_under_a_given_root_returns_its_document():
    records = []
    root = None
    for record in iter_records(IOM):
        root = record.shell()
        tree = record.detach(root)
        records.append(tree)
    assert records[0].getroot() is root
    assert root[0].findtext("iati-identifier") == "XM-DAC-47066-DP.2154"
