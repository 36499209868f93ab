"""Importing other publishers' files: the real IOM activity, idempotency, and bad input (each
with a clear message, and nothing already stored lost or changed)."""

import io
import multiprocessing
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from compacts.iati import selectors
from compacts.iati.importer import BATCH, import_file
from compacts.iati.models import ExternalActivity, ImportRun
from compacts.iati.validation import validate
from compacts.iati.xml import data_path

IOM = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")
IOM_ID = "XM-DAC-47066-DP.2154"

pytestmark = pytest.mark.django_db


def activity(identifier: str, *, updated: str = "2025-01-01T00:00:00Z", sector: str = "15190",
             title: str = "A migration project", country: str = "SO",
             extra: str = "", value: str = "1000.00") -> str:  # fmt: skip
    return f"""
<iati-activity last-updated-datetime="{updated}" xml:lang="en" default-currency="USD">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-DAC-47066" type="40"><narrative>IOM</narrative></reporting-org>
  <title><narrative>{title}</narrative></title>
  <description><narrative>About {identifier}</narrative></description>
  <participating-org ref="XM-DAC-47066" role="4" type="40">
    <narrative>IOM</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2024-01-01" type="2"/>
  <recipient-country code="{country}"/>
  <sector code="{sector}" vocabulary="1"/>{extra}
  <transaction>
    <transaction-type code="3"/>
    <transaction-date iso-date="2024-02-01"/>
    <value value-date="2024-02-01">{value}</value>
    <receiver-org ref="XM-DAC-47066"><narrative>IOM</narrative></receiver-org>
  </transaction>
</iati-activity>"""


def document(*activities: str, version: str = "2.03") -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    root = f'<iati-activities version="{version}" generated-datetime="2025-01-02T00:00:00Z">'
    return f"{head}{root}{''.join(activities)}\n</iati-activities>\n"


def write(tmp_path: Path, text: str | bytes, name: str = "file.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def snapshot():
    return sorted(ExternalActivity.objects.values_list("iati_identifier", "content_hash", "title"))


class TestRealIomActivity:
    def test_imports_with_identifier_organisations_country_and_amount(self):
        """The real IOM activity: exact identifier, organisations, Somalia, USD 1,459,753.72."""
        run = import_file(path=IOM)
        assert run.status == "succeeded", run.report
        assert (run.imported, run.rejected) == (1, 0)
        stored = ExternalActivity.objects.get(iati_identifier=IOM_ID)
        assert stored.reporting_org_ref == "XM-DAC-47066"
        assert stored.reporting_org_name == "International Organization for Migration (IOM)"
        orgs = set(stored.participating_orgs.values_list("role", "ref", "name"))
        assert ("1", "XM-DAC-701-2", "Japan - Ministry of Foreign Affairs") in orgs
        assert ("2", "XM-DAC-47066", "International Organization for Migration (IOM)") in orgs
        assert list(stored.countries.values_list("code", flat=True)) == ["SO"]
        budget = stored.budgets.get()
        assert (budget.value, budget.currency) == (Decimal("1459753.72"), "USD")
        assert stored.transactions.filter(type="11", value=Decimal("1459753.72")).exists()
        assert stored.default_currency == "USD"
        # Sector 72010 and IOM's own vocabularies: not a migration activity by our test.
        assert not stored.is_migration
        assert "Somalia" in stored.title

    def test_importing_twice_changes_nothing(self):
        import_file(path=IOM)
        before = snapshot()
        again = import_file(path=IOM)
        assert (again.imported, again.updated, again.skipped) == (0, 0, 1)
        assert again.report[0]["reason"].startswith("unchanged")
        assert snapshot() == before


class TestUpsert:
    def test_newer_version_replaces_and_older_is_skipped(self, tmp_path):
        import_file(path=write(tmp_path, document(activity("XM-DAC-47066-A1")), "v1.xml"))
        newer = document(activity("XM-DAC-47066-A1", updated="2025-06-01T00:00:00Z",
                                  title="Renamed", value="2500.00"))  # fmt: skip
        run = import_file(path=write(tmp_path, newer, "v2.xml"))
        assert run.updated == 1
        stored = ExternalActivity.objects.get()
        assert stored.title == "Renamed"
        assert list(stored.transactions.values_list("value", flat=True)) == [Decimal("2500.00")]
        older = document(activity("XM-DAC-47066-A1", updated="2024-06-01T00:00:00Z",
                                  title="Old"))  # fmt: skip
        run = import_file(path=write(tmp_path, older, "v0.xml"))
        assert run.skipped == 1
        assert "older" in run.report[0]["reason"]
        assert ExternalActivity.objects.get().title == "Renamed"

    def test_landscape_selects_sector_15190_and_gcm_tags(self, tmp_path):
        gcm_tag = ('\n  <tag vocabulary="99" vocabulary-uri="https://undocs.org/A/RES/73/195" '
                   'code="GCM-15"><narrative>Objective 15</narrative></tag>')  # fmt: skip
        text = document(
            activity("XM-DAC-47066-M1"),
            activity("XM-DAC-47066-H1", sector="12220", extra=gcm_tag, country="KE"),
            activity("XM-DAC-47066-X1", sector="72010"),
        )
        import_file(path=write(tmp_path, text))
        landscape = selectors.migration_landscape()
        assert [a.iati_identifier for a in landscape["activities"]] == [
            "XM-DAC-47066-H1", "XM-DAC-47066-M1"]  # fmt: skip
        assert landscape["totals"]["USD"]["disbursements"] == Decimal("2000.00")
        assert landscape["publishers"][0]["count"] == 2
        kenya = selectors.migration_landscape(country="ke")
        assert [a.iati_identifier for a in kenya["activities"]] == ["XM-DAC-47066-H1"]


class TestBadInput:
    @pytest.fixture
    def stored(self):
        import_file(path=IOM)
        return snapshot()

    def _failed(self, tmp_path, content, stored) -> ImportRun:
        run = import_file(path=write(tmp_path, content))
        assert run.status == "failed"
        assert run.message
        assert snapshot() == stored
        return run

    def test_malformed_xml(self, tmp_path, stored):
        text = "<iati-activities version='2.03'><iati-activity><oops></iati-activity>"
        text += "</iati-activities>"
        run = self._failed(tmp_path, text, stored)
        assert run.failed_line == 1

    def test_not_iati(self, tmp_path, stored):
        run = self._failed(tmp_path, "<html><body>hello</body></html>", stored)
        assert "not an IATI file" in run.message

    def test_unsupported_version(self, tmp_path, stored):
        run = self._failed(tmp_path, document(activity("XM-DAC-47066-V1"), version="1.05"),
                           stored)  # fmt: skip
        assert "version 1.05 is not supported" in run.message

    def test_organisation_file_is_refused(self, tmp_path, stored):
        text = ('<iati-organisations version="2.03"><iati-organisation>'
                "<organisation-identifier>XI-X</organisation-identifier></iati-organisation>"
                "</iati-organisations>")  # fmt: skip
        run = self._failed(tmp_path, text, stored)
        assert "organisation file" in run.message

    def test_billion_laughs(self, tmp_path, stored):
        entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
        text = (f'<?xml version="1.0"?><!DOCTYPE iati-activities [<!ENTITY lol0 "lol">{entities}]>'
                '<iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;'
                "</iati-identifier></iati-activity></iati-activities>")  # fmt: skip
        run = self._failed(tmp_path, text, stored)
        assert "entit" in run.message.lower() or "DOCTYPE" in run.message

    def test_external_entity(self, tmp_path, stored):
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET")
        text = (f'<?xml version="1.0"?><!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM '
                f'"file://{secret}">]><iati-activities version="2.03"><iati-activity>'
                "<iati-identifier>&xxe;</iati-identifier></iati-activity>"
                "</iati-activities>")  # fmt: skip
        run = self._failed(tmp_path, text, stored)
        assert "TOP-SECRET" not in str(run.report) + run.message
        assert not ExternalActivity.objects.filter(iati_identifier__contains="SECRET").exists()

    def test_truncated_file_keeps_activities_before_the_break(self, tmp_path, stored):
        full = document(activity("XM-DAC-47066-T1"), activity("XM-DAC-47066-T2"),
                        activity("XM-DAC-47066-T3"))  # fmt: skip
        cut = full[: full.index("XM-DAC-47066-T3") + 5]
        run = import_file(path=write(tmp_path, cut))
        assert run.status == "failed"
        assert "truncated" in run.message
        assert run.failed_line == cut.count("\n") + 1
        assert run.imported == 2
        assert set(ExternalActivity.objects.values_list("iati_identifier", flat=True)) == {
            IOM_ID, "XM-DAC-47066-T1", "XM-DAC-47066-T2"}  # fmt: skip
        # Rerun on the complete file: the two are skipped, the third imported.
        run = import_file(path=write(tmp_path, full, "complete.xml"))
        assert (run.status, run.imported, run.skipped) == ("succeeded", 1, 2)

    def test_unknown_codes_reject_the_activity_only(self, tmp_path, stored):
        bad = activity("XM-DAC-47066-U1").replace('<activity-status code="2"/>',
                                                 '<activity-status code="42"/>')  # fmt: skip
        run = import_file(path=write(tmp_path, document(bad, activity("XM-DAC-47066-U2"))))
        assert run.status == "succeeded"
        assert (run.imported, run.rejected) == (1, 1)
        rejected = run.report[0]
        assert rejected["outcome"] == "rejected"
        assert rejected["identifier"] == "XM-DAC-47066-U1"
        assert any(e["rule_id"] == "codelist:ActivityStatus" for e in rejected["errors"])
        assert not ExternalActivity.objects.filter(iati_identifier="XM-DAC-47066-U1").exists()

    def test_rejected_update_leaves_the_stored_version(self, tmp_path, stored):
        """A newer but invalid version of a stored activity is rejected; the old one stays."""
        bad = activity(IOM_ID, updated="2030-01-01T00:00:00Z").replace(
            "<iati-identifier>", '<activity-scope code="nope"/><iati-identifier>'
        )
        run = import_file(path=write(tmp_path, document(bad)))
        assert run.rejected == 1
        assert snapshot() == stored

    def test_duplicate_identifiers_in_one_file(self, tmp_path, stored):
        text = document(activity("XM-DAC-47066-D1"), activity("XM-DAC-47066-D1", title="Again"))
        run = import_file(path=write(tmp_path, text))
        assert (run.imported, run.rejected) == (1, 1)
        assert "more than once" in run.report[1]["reason"]
        assert ExternalActivity.objects.get(iati_identifier="XM-DAC-47066-D1").title != "Again"

    @pytest.mark.parametrize("workers", [1, 2])
    @pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
    def test_a_value_the_database_refuses_rejects_that_activity_only(
        self, tmp_path, stored, workers
    ):
        """A valid XML decimal too large for the column: PostgreSQL refuses it (the batch is then
        stored activity by activity); SQLite keeps any number."""
        huge = "1" + "0" * 27 + ".00"
        texts = [activity("XM-DAC-47066-H1", value=huge), activity("XM-DAC-47066-H2")]
        run = import_file(path=write(tmp_path, document(*texts)), workers=workers)
        assert run.status == "succeeded"
        if connection.vendor == "postgresql":
            assert (run.imported, run.rejected) == (1, 1)
            refused = next(e for e in run.report if e["outcome"] == "rejected")
            assert refused["identifier"] == "XM-DAC-47066-H1"
            assert refused["reason"].startswith("the activity could not be stored")
            assert snapshot() == sorted(
                [*stored, *[r for r in snapshot() if r[0] == "XM-DAC-47066-H2"]]
            )
        else:
            assert (run.imported, run.rejected) == (2, 0)

    def test_missing_file(self, tmp_path, stored):
        run = import_file(path=tmp_path / "nope.xml")
        assert run.status == "failed"
        assert snapshot() == stored


class TestBatches:
    """Activities are validated in batches (importer.BATCH); a batch with an error is checked
    again activity by activity, so a bad activity is rejected with the errors it has on its own
    and its neighbours are imported."""

    def test_bad_activities_in_long_files_are_rejected_alone(self, tmp_path):
        count = 2 * BATCH + 30
        faulty = {
            17: ('<activity-status code="2"/>', '<activity-status code="42"/>'),  # codelist
            BATCH + 5: ("<title>", "<title><narrative/><bogus/>"),  # schema
            2 * BATCH + 1: ('iso-date="2024-02-01"/>', 'iso-date="2099-02-01"/>'),  # ruleset
        }
        texts = []
        for n in range(count):
            text = activity(f"XM-DAC-47066-B{n}")
            if n in faulty:
                text = text.replace(*faulty[n])
            texts.append(text)
        run = import_file(path=write(tmp_path, document(*texts)))
        assert run.status == "succeeded"
        assert (run.imported, run.rejected) == (count - 3, 3)
        rejected = [e for e in run.report if e["outcome"] == "rejected"]
        assert [e["identifier"] for e in rejected] == [f"XM-DAC-47066-B{n}" for n in sorted(faulty)]
        for entry, n in zip(rejected, sorted(faulty), strict=True):
            alone = write(tmp_path, document(texts[n]), f"alone-{n}.xml")
            expected = [
                {"line": f.line, "rule_id": f.rule_id, "message": str(f.message)[:300]}
                for f in validate(alone, kind="activity", purpose="import").errors
            ]
            # The same errors as the activity has alone (lines differ: the file is longer).
            assert [(e["rule_id"], e["message"]) for e in entry["errors"]] == [
                (e["rule_id"], e["message"]) for e in expected
            ]
            assert entry["errors"][0]["line"] > entry["line"] - 1
        assert ExternalActivity.objects.count() == count - 3
        assert not ExternalActivity.objects.filter(
            iati_identifier__in=[f"XM-DAC-47066-B{n}" for n in faulty]
        ).exists()

    def test_a_file_on_one_line_imports_every_activity(self, tmp_path):
        texts = [activity(f"XM-DAC-47066-L{n}").replace("\n", "") for n in range(BATCH + 10)]
        text = document(*texts).replace("\n", "")
        run = import_file(path=write(tmp_path, text))
        assert (run.status, run.imported) == ("succeeded", BATCH + 10)


# pytest-xdist's own thread makes Python warn about forking; the importer only forks a
# threaded process when asked to, as these tests do.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
class TestWorkers:
    """Reading and validating in worker processes gives the same run as in one process. The
    files are cut into shares of a few kilobytes, so that even small files are shared out."""

    @pytest.fixture(autouse=True)
    def small_shares(self, monkeypatch):
        from compacts.iati import importer

        monkeypatch.setattr(importer, "CHUNK_BYTES", 4096)

    def faulty_file(self, tmp_path, count=2 * BATCH + 30):
        texts = [activity(f"XM-DAC-47066-W{n}") for n in range(count)]
        texts[7] = texts[7].replace('<activity-status code="2"/>', '<activity-status code="42"/>')
        texts[BATCH + 4] = texts[4]  # an identifier used twice, in another batch
        texts[-1] = activity("")  # no identifier
        return write(tmp_path, document(*texts), "faulty.xml")

    def outcome(self, run):
        rows = ExternalActivity.objects.order_by("iati_identifier").values_list(
            "iati_identifier", "content_hash"
        )
        report = [{k: v for k, v in e.items() if k != "reason_params"} for e in run.report]
        return run.status, run.imported, run.rejected, report, list(rows)

    @pytest.mark.parametrize("workers", [2, 3])
    def test_the_same_run_as_one_process(self, tmp_path, workers):
        path = self.faulty_file(tmp_path)
        alone = self.outcome(import_file(path=path, workers=1))
        ExternalActivity.objects.all().delete()
        together = self.outcome(import_file(path=path, workers=workers))
        assert together == alone
        assert alone[1:3] == (2 * BATCH + 30 - 3, 3)

    def test_the_file_is_shared_out_at_activities(self, tmp_path):
        from compacts.iati.importer import _chunks

        path = self.faulty_file(tmp_path)
        chunks = _chunks(path)
        data = path.read_bytes()
        assert len(chunks.starts) > 10
        assert chunks.starts[0] == 0
        assert all(data[start:].startswith(b"<iati-activity ") for start in chunks.starts[1:])
        assert chunks.prefix.startswith(b'<iati-activities version="2.03"')

    @pytest.mark.parametrize(
        "text",
        [
            # Activities on one line: the cuts fall mid-line, the lines must still be right.
            "one-line",
            # A comment holding activities: a cut inside it cannot parse, and the run goes on
            # in this process from the last record stored.
            "comment",
            # Not UTF-8: not shared out at all, read in this process.
            "latin-1",
        ],
    )
    def test_the_same_run_on_files_that_are_hard_to_cut(self, tmp_path, text, monkeypatch):
        from compacts.iati import importer

        went_on_after = []
        real_parts = importer._parts

        def parts(*args, skip=0, **kwargs):
            went_on_after.append(skip)
            return real_parts(*args, skip=skip, **kwargs)

        monkeypatch.setattr(importer, "_parts", parts)
        texts = [activity(f"XM-DAC-47066-H{n}") for n in range(120)]
        texts[30] = texts[30].replace('<activity-status code="2"/>', '<activity-status code="9"/>')
        texts[90] = texts[10]
        if text == "one-line":
            content = document(*[t.replace("\n", "") for t in texts]).replace("\n", "")
        elif text == "comment":
            hidden = "".join(texts[40:70])
            content = document(*texts[:40], f"<!-- {hidden.replace('--', '')} -->", *texts[70:])
        else:
            content = (
                document(*texts)
                .replace("UTF-8", "ISO-8859-1")
                .replace("A migration project", "Proyecto de migraci\u00f3n")
                .encode("latin-1")
            )
        path = write(tmp_path, content)
        from compacts.iati.importer import _chunks

        assert (_chunks(path) is None) == (text == "latin-1")
        alone = self.outcome(import_file(path=path, workers=1))
        ExternalActivity.objects.all().delete()
        went_on_after.clear()
        together = self.outcome(import_file(path=path, workers=2))
        assert together == alone
        # Shared out: the cut in the comment sent the rest of the run to this process.
        expected = {"one-line": [], "comment": [True], "latin-1": [False]}[text]
        assert [skip > 0 for skip in went_on_after] == expected
        assert alone[0] == "succeeded"
        assert alone[2] == 2  # the invalid status code and the duplicate
        lines = [e["line"] for e in alone[3]]
        assert all(lines)

    def test_a_truncated_file_breaks_at_the_same_line_keeping_what_came_before(self, tmp_path):
        texts = [activity(f"XM-DAC-47066-T{n}") for n in range(BATCH + 40)]
        full = document(*texts)
        cut = full[: full.index("XM-DAC-47066-T120") + 5]
        path = write(tmp_path, cut)
        alone = self.outcome(import_file(path=path, workers=1))
        line = ImportRun.objects.latest("pk").failed_line
        ExternalActivity.objects.all().delete()
        run = import_file(path=path, workers=2)
        assert self.outcome(run) == alone
        assert run.failed_line == line
        assert (run.status, run.imported) == ("failed", 120)
        assert "truncated" in run.message

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("<html><body>hello</body></html>", "not an IATI file"),
            (document(activity("XM-DAC-47066-V1"), version="1.05"), "1.05 is not supported"),
            ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><iati-activities/>', "DOCTYPE"),
        ],
    )
    def test_a_refused_file_is_refused_by_the_workers_too(self, tmp_path, content, message):
        run = import_file(path=write(tmp_path, content), workers=2)
        assert run.status == "failed"
        assert message in run.message
        assert not ExternalActivity.objects.exists()

    def test_a_worker_that_fails_stops_the_import_with_its_traceback(self, tmp_path, monkeypatch):
        from compacts.iati import importer

        def broken(self):
            raise ValueError("boom in a worker")

        monkeypatch.setattr(importer._Batch, "check", broken)
        path = write(tmp_path, document(*[activity(f"XM-DAC-47066-X{n}") for n in range(40)]))
        with pytest.raises(RuntimeError, match="boom in a worker"):
            import_file(path=path, workers=2)
        assert not ExternalActivity.objects.exists()

    def test_workers_stop_when_storing_fails(self, tmp_path, monkeypatch):
        from compacts.iati import importer

        started = []
        real = importer._parts_from_workers

        def watched(*args):
            parts = real(*args)
            started.append(parts)
            return parts

        def refuse(pending, run):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(importer, "_parts_from_workers", watched)
        monkeypatch.setattr(importer, "_store", refuse)
        texts = [activity(f"XM-DAC-47066-S{n}") for n in range(3 * BATCH)]
        with pytest.raises(RuntimeError, match="went away"):
            import_file(path=write(tmp_path, document(*texts)), workers=2)
        # The generator was closed, which terminated and joined its workers.
        assert started
        assert started[0].gi_frame is None
        assert not [p for p in multiprocessing.active_children() if p.daemon]

    def test_how_many_workers(self, monkeypatch):
        from compacts.iati import importer

        big = importer.PARALLEL_FROM_BYTES
        monkeypatch.setattr(importer.os, "cpu_count", lambda: 8)
        monkeypatch.setattr(importer.threading, "active_count", lambda: 1)
        assert importer._worker_count(None, big) == importer.MAX_WORKERS
        assert importer._worker_count(None, big - 1) == 1  # small files: no forking
        assert importer._worker_count(1, big) == 1
        assert importer._worker_count(3, 10) == 3  # asked for
        monkeypatch.setattr(importer.os, "cpu_count", lambda: 1)
        assert importer._worker_count(None, big) == 1
        monkeypatch.setattr(importer.os, "cpu_count", lambda: 8)
        monkeypatch.setattr(importer.threading, "active_count", lambda: 3)
        assert importer._worker_count(None, big) == 1  # forking a threaded process: no


class TestCommand:
    def test_import_command_reports_and_exits_non_zero_on_failure(self, tmp_path):
        out = io.StringIO()
        call_command("iati", "import", str(IOM), stdout=out)
        assert "1 imported" in out.getvalue()
        bad = write(tmp_path, "<iati-activities version='2.03'><iati-activity>")
        with pytest.raises(CommandError, match="could not be imported"):
            call_command("iati", "import", str(IOM), str(bad), stdout=out)
        assert "1 skipped" in out.getvalue()

    def test_import_command_shows_progress(self, tmp_path):
        count = 2 * BATCH + 50
        path = write(tmp_path, document(*(activity(f"XM-DAC-47066-P{n}") for n in range(count))))
        out, err = io.StringIO(), io.StringIO()
        call_command("iati", "import", str(path), stdout=out, stderr=err)
        lines = err.getvalue().splitlines()
        assert len(lines) >= 2  # one per tenth of the file reached, not one per batch
        percents = [int(line.split(": ")[1].split("%")[0]) for line in lines]
        assert percents == sorted(percents)
        assert f"{count:,} activities ({count:,} imported" in lines[-1]
        assert f"{count} imported" in out.getvalue()

    @pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
    def test_import_command_takes_a_number_of_workers(self, tmp_path):
        out = io.StringIO()
        path = write(tmp_path, document(*(activity(f"XM-DAC-47066-C{n}") for n in range(5))))
        call_command("iati", "import", str(path), "--workers", "2", stdout=out)
        assert "5 imported" in out.getvalue()
        with pytest.raises(CommandError, match="--workers must be 1 or more"):
            call_command("iati", "import", str(path), "--workers", "0", stdout=out)


def test_an_import_that_changes_data_announces_it(tmp_path, django_capture_on_commit_callbacks):
    """Imported activities feed the gateway: a run that stores something raises the "iati"
    data version (caches follow); a rerun that changes nothing does not."""
    from compacts.core.changes import versions

    path = write(tmp_path, document(activity("XM-DAC-47066-A1"), activity("XM-DAC-47066-A2")))
    before = versions("iati")["iati"]
    with django_capture_on_commit_callbacks(execute=True):
        run = import_file(path=path)
    assert run.imported == 2
    after = versions("iati")["iati"]
    assert after > before
    with django_capture_on_commit_callbacks(execute=True):
        rerun = import_file(path=path)
    assert rerun.skipped == 2
    assert versions("iati")["iati"] == after
    # A newer version of one activity is an update: announced again.
    newer = document(activity("XM-DAC-47066-A1", updated="2025-06-01T00:00:00Z", value="5.00"))
    with django_capture_on_commit_callbacks(execute=True):
        updated = import_file(path=write(tmp_path, newer, "newer.xml"))
    assert updated.updated == 1
    assert versions("iati")["iati"] > after
