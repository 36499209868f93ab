"""IATI export benchmark: time and peak memory per activity, against serialising the same number
of minimal lxml elements in the same run.

    uv run python -m bench iati_export --scale 1 --scale 10     # seed (resumable), then export
    uv run python -m bench iati_export --scale 1 --data-dir 1=/path/to/seeded/var --no-seed
    uv run python -m bench iati_export --generated 200          # writer path only, N and 10N

Two measurements:

- **seeded data**: for each ``--scale``, a database seeded by ``compacts seed --scale N`` (in
  ``var/bench/iati-seed-<N>`` unless ``--data-dir N=DIR``; the seed is resumable and skips the
  funds already there); the publisher's fund is set to ``SYN0001`` and ``iati_export`` writes
  and validates the three files into a temporary folder (not published). Each scale runs in
  its own process (its own settings and database).
- **generated activities**: N and 10N programme-like activities (10 transactions each) through
  the same writer (element functions, per-activity validation, duplicate-identifier index),
  without the database.

Baseline for both, measured in the same process right after: an ``lxml.etree.xmlfile`` writing
as many ``iati-activity`` elements, each with as many minimal ``transaction`` children (type,
date, value), as the export wrote. Peak memory is ``tracemalloc``'s peak (Python allocations,
lxml's C allocations are not traced), started just before each pass.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _measure(function) -> tuple[float, float, object]:
    """CPU seconds of an untraced pass (CPU time: the machine is shared), the peak traced MB of
    a second, traced pass (tracing slows every allocation down), and the first pass's result."""
    start = time.process_time()
    result = function()
    seconds = time.process_time() - start
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1024 / 1024, result


def baseline(activities: int, transactions: int, folder: Path) -> tuple[float, float]:
    """Serialise ``activities`` minimal activities holding ``transactions`` minimal transactions
    between them (spread evenly), streamed with ``xmlfile``: seconds and peak MB."""
    from lxml import etree

    def write() -> None:
        per, extra = divmod(transactions, max(activities, 1))
        with etree.xmlfile(str(folder / "baseline.xml"), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("iati-activities", {"version": "2.03"}):
                for n in range(activities):
                    activity = etree.Element("iati-activity")
                    etree.SubElement(activity, "iati-identifier").text = f"XX-BASE-{n}"
                    for m in range(per + (1 if n < extra else 0)):
                        transaction = etree.SubElement(activity, "transaction")
                        etree.SubElement(transaction, "transaction-type", code="3")
                        when = {"iso-date": "2024-01-01"}
                        etree.SubElement(transaction, "transaction-date", when)
                        etree.SubElement(transaction, "value").text = f"{m}.00"
                    xf.write(activity)

    seconds, peak, _ = _measure(write)
    return seconds, peak


def _count_transactions(path: Path) -> int:
    from lxml import etree

    count = 0
    for _event, element in etree.iterparse(str(path), tag="transaction"):
        count += 1
        element.clear()
    return count


def _warm_up() -> None:
    """What a worker process loads once (the URLconf behind ``reverse``, the compiled schemas,
    codelists and ruleset) is loaded before measuring, as in a running worker."""
    from django.urls import reverse

    from compacts.iati.validation import validate

    reverse("iati:activities")
    validate(b"<iati-activities version='2.03'/>")
    validate(b"<iati-organisations version='2.03'/>", kind="organisation")


# -- seeded data (runs in a child process per scale) -------------------------------------------
def seeded(data_dir: Path, fund_code: str) -> dict:
    os.environ["COMPACTS_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compacts.config.settings.local")
    import django

    django.setup()
    from compacts.fund.models import Fund, Posting
    from compacts.iati.services import iati_export, publisher_settings_get

    settings = publisher_settings_get()
    settings.fund_code = fund_code
    settings.save(update_fields=["fund_code", "updated_at"])
    _warm_up()
    with tempfile.TemporaryDirectory(prefix="compacts-iati-export-") as folder:
        out = Path(folder)
        passes = iter(["files", "traced"])
        seconds, peak, run = _measure(
            lambda: iati_export(reason="benchmark", directory=out / next(passes), publish=False)
        )
        assert run.status == "succeeded", (run.message, run.findings[:3])
        transactions = _count_transactions(out / "files" / "activities.xml")
        size = (out / "files" / "activities.xml").stat().st_size
        base_s, base_peak = baseline(run.activity_count, transactions, out)
    return {
        "funds": Fund.objects.count(),
        "postings": Posting.objects.count(),
        "fund_postings": Posting.objects.filter(fund__code=fund_code).count(),
        "activities": run.activity_count,
        "transactions": transactions,
        "bytes": size,
        "seconds": seconds,
        "peak_mb": peak,
        "base_seconds": base_s,
        "base_peak_mb": base_peak,
    }


# -- generated activities (no database) --------------------------------------------------------
def generated_source(count: int):
    from compacts.iati.export import model as m

    org = m.Org(ref="XI-IATI-UNPF", name={"en": "UN Pooled Funds"}, type="40")

    class Publisher:
        reporting_org_ref = "XI-IATI-UNPF"
        reporting_org_name = "UN Pooled Funds"
        reporting_org_type = "40"
        prefix = "XI-IATI-UNPF"
        default_language = "en"
        registry_publisher = "unpf"
        contact_email = ""
        public_base_url = "https://example.org"

    class Fund:
        name = "Generated fund"
        code = "GEN"
        currency = "USD"
        administrative_agent = None

    class GeneratedSource:
        publisher, fund, language = Publisher(), Fund(), "en"
        today = datetime.date(2026, 1, 1)
        fund_identifier = "XI-IATI-UNPF-GEN"
        participants: list = []
        skipped: list = []
        reporting_org = org

        def activities(self):
            for n in range(count):
                yield m.Activity(
                    identifier=f"XI-IATI-UNPF-GEN-{n}", reporting_org=org,
                    last_updated=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
                    title={"en": f"Programme {n}"},
                    descriptions=[m.Description("1", {"en": "Generated", "fr": "Généré"})],
                    participating_orgs=[m.ParticipatingOrg(ref="XM-DAC-47066", name={"en": "IOM"},
                                                           type="40", role="4")],
                    dates=[("1", datetime.date(2024, 1, 1))],
                    countries=[m.Percentage("SO")],
                    sectors=[m.Percentage("15190", vocabulary="1")],
                    transactions=[m.Transaction("3", datetime.date(2024, 1, i), Decimal(100 + i),
                                                "USD", datetime.date(2024, 1, i))
                                  for i in range(1, 11)],
                    related=[("1", self.fund_identifier)],
                )  # fmt: skip

        def organisation(self):
            return m.Organisation(identifier="XI-IATI-UNPF", name={"en": "UN Pooled Funds"},
                                  reporting_org=org,
                                  last_updated=datetime.datetime(2025, 1, 1,
                                                                 tzinfo=datetime.UTC))  # fmt: skip

    return GeneratedSource()


def generated(count: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compacts.config.settings.local")
    import django

    django.setup()
    from compacts.iati.export.writer import write_files

    _warm_up()
    with tempfile.TemporaryDirectory(prefix="compacts-iati-export-") as folder:
        out = Path(folder)
        passes = iter(["files", "traced"])
        seconds, peak, result = _measure(
            lambda: write_files(source=generated_source(count), directory=out / next(passes))
        )
        assert not result.error_count, result.errors[:3]
        transactions = _count_transactions(out / "files" / "activities.xml")
        base_s, base_peak = baseline(result.activity_count, transactions, out)
    return {"activities": result.activity_count, "transactions": transactions,
            "seconds": seconds, "peak_mb": peak, "base_seconds": base_s,
            "base_peak_mb": base_peak}  # fmt: skip


def _child(arguments: list[str]) -> dict:
    """Run this module in a fresh process (its own settings and database) and read its JSON."""
    command = [sys.executable, "-m", "bench", "iati_export", "--child", *arguments]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(arguments)}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(label: str, r: dict) -> str:
    per = r["seconds"] / r["activities"] * 1000
    base_per = r["base_seconds"] / r["activities"] * 1000
    return (
        f"| {label} | {r['activities']:,} | {r['transactions']:,} | {per:.2f} ms "
        f"| {base_per:.3f} ms | {r['seconds'] / r['base_seconds']:.1f} "
        f"| {r['peak_mb'] * 1024:,.0f} KB | {r['base_peak_mb'] * 1024:,.0f} KB "
        f"| {r['peak_mb'] / r['base_peak_mb']:.1f} |"
    )


HEADER = [
    "| export | activities | transactions | time per activity | baseline per activity "
    "| time ratio | peak traced memory | baseline peak | memory ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench iati_export")
    parser.add_argument("--scale", type=float, action="append", default=[])
    parser.add_argument("--data-dir", action="append", default=[], help="SCALE=DIR")
    parser.add_argument("--no-seed", action="store_true", help="use the databases as they are")
    parser.add_argument("--fund", default="SYN0001")
    parser.add_argument("--generated", type=int, default=200, help="N (0: skip)")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.child:
        kind, value = args.child[0], args.child[1]
        result = seeded(Path(value), args.child[2]) if kind == "seeded" else generated(int(value))
        print(json.dumps(result))
        return 0

    dirs = dict(item.split("=", 1) for item in args.data_dir)
    lines = [f"Run {datetime.date.today().isoformat()}, Python {sys.version.split()[0]}.", ""]
    rows = []
    for scale in args.scale:
        label = f"{scale:g}"
        data_dir = Path(dirs.get(label) or ROOT / "var" / "bench" / f"iati-seed-{label}")
        data_dir.mkdir(parents=True, exist_ok=True)
        if not args.no_seed:
            env = {**os.environ, "COMPACTS_DATA_DIR": str(data_dir)}
            for command in (["migrate", "--verbosity", "0"], ["reference"],
                            ["seed", "--scale", label]):  # fmt: skip
                subprocess.run([sys.executable, "-m", "compacts", *command], cwd=ROOT, env=env,
                               check=True)  # fmt: skip
        result = _child(["seeded", str(data_dir), args.fund])
        rows.append(
            (f"seed --scale {label} ({result['funds']:,} funds, {result['postings']:,} "
             f"postings; {args.fund}: {result['fund_postings']:,} postings)", result)
        )  # fmt: skip
    if args.generated:
        for count in (args.generated, args.generated * 10):
            rows.append((f"generated, {count:,} programmes", _child(["generated", str(count)])))
    lines += HEADER + [_row(label, result) for label, result in rows]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
