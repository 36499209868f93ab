"""IATI benchmark: import throughput against a bare lxml iterparse pass over the same file (the
export's benchmark is ``bench/iati_export.py``).

    uv run python -m bench iati_import                 # 100 MB file, temporary SQLite database
    uv run python -m bench iati_import --megabytes 20  # quicker
    uv run python -m bench iati_import --shape iom     # the real IOM activity, repeated
    DATABASE_URL=postgres://... uv run python -m bench iati_import

The activity file is generated into a temporary folder at run time (never committed) and
deleted afterwards. Every figure is a ratio to a baseline measured in the same run; the markdown
it prints goes to docs/performance.md ("IATI").
"""

# ruff: noqa: E501 - the XML templates below are kept one element per line
from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

TRANSACTION = """
  <transaction>
    <transaction-type code="{type}"/>
    <transaction-date iso-date="2024-{month:02d}-15"/>
    <value value-date="2024-{month:02d}-15">{value}</value>
    <description><narrative>Tranche {month} of the programme</narrative></description>
    <provider-org ref="XM-DAC-41114" type="40"><narrative>United Nations Development Programme</narrative></provider-org>
    <receiver-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></receiver-org>
  </transaction>"""

ACTIVITY = """
<iati-activity last-updated-datetime="2025-01-01T00:00:00Z" xml:lang="en" default-currency="USD">
  <iati-identifier>XM-DAC-47066-BENCH-{n}</iati-identifier>
  <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
  <title><narrative>Generated migration programme {n}</narrative><narrative xml:lang="fr">Programme de migration généré {n}</narrative></title>
  <description><narrative>Generated for the import benchmark of compacts: safe, orderly and regular migration, access to basic services and labour mobility in several countries ({n}).</narrative></description>
  <participating-org ref="XM-DAC-41114" role="1" type="40"><narrative>UNDP</narrative></participating-org>
  <participating-org ref="XM-DAC-47066" role="4" type="40"><narrative>IOM</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2024-01-01" type="1"/>
  <activity-date iso-date="2024-01-01" type="2"/>
  <activity-date iso-date="2026-12-31" type="3"/>
  <recipient-country code="{country}" percentage="60"/>
  <recipient-country code="KE" percentage="40"/>
  <sector code="15190" vocabulary="1"/>
  <tag vocabulary="3" code="10.7"/>
  <tag vocabulary="99" vocabulary-uri="https://undocs.org/A/RES/73/195" code="GCM-{objective}"><narrative>GCM objective {objective}</narrative></tag>
  <budget type="1" status="2">
    <period-start iso-date="2024-01-01"/>
    <period-end iso-date="2024-12-31"/>
    <value value-date="2024-01-01">{budget}</value>
  </budget>{transactions}
</iati-activity>"""


def _write(path: Path, megabytes: float, generated: str, activity) -> int:
    """Write ``activity(n)`` for n = 0, 1... under a root until the file has ``megabytes``
    MB; return the number of activities."""
    target = int(megabytes * 1024 * 1024)
    written = count = 0
    with open(path, "w", encoding="utf-8") as out:
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
                f'generated-datetime="{generated}">')  # fmt: skip
        out.write(head)
        written += len(head)
        while written < target:
            text = activity(count)
            out.write(text)
            written += len(text.encode())
            count += 1
        out.write("\n</iati-activities>\n")
    return count


def generate(path: Path, megabytes: float) -> int:
    """Write an activity file of at least ``megabytes`` MB; return its number of activities."""
    countries = ["SO", "ET", "SN", "GT", "BD", "PH", "MA", "NG"]
    transactions = "".join(
        TRANSACTION.format(type="3" if m % 2 else "4", month=m, value=f"{1000 + m}.50")
        for m in range(1, 13)
    )
    return _write(path, megabytes, "2025-01-02T00:00:00Z", lambda n: ACTIVITY.format(
        n=n, country=countries[n % len(countries)], objective=n % 23 + 1,
        budget=f"{50000 + n}.00", transactions=transactions))  # fmt: skip


def generate_iom(path: Path, megabytes: float) -> int:
    """Write a file of at least ``megabytes`` MB repeating the real IOM activity the package
    ships (``sample-activities``), each copy with its own identifier: the shape of a real
    publisher's activity (locations, contact, three sector vocabularies, one transaction)
    rather than the transaction-heavy generated one."""
    from lxml import etree

    from compacts.iati.xml import data_path

    source = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")
    text = etree.tostring(etree.parse(str(source)).getroot()[0], encoding="unicode")
    marker = "XM-DAC-47066-DP.2154</iati-identifier>"
    return _write(path, megabytes, "2021-02-26T11:20:25+00:00",
                  lambda n: text.replace(marker, f"XM-DAC-47066-DP.2154-{n}</iati-identifier>"))  # fmt: skip


def bare_iterparse(path: Path) -> tuple[float, int]:
    """The baseline: lxml's iterparse over the activities, clearing as it goes."""
    from lxml import etree

    start, wall = time.process_time(), time.perf_counter()
    count = 0
    for _event, element in etree.iterparse(str(path), events=("end",), tag="iati-activity"):
        count += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return time.process_time() - start, count, time.perf_counter() - wall


def _setup(data_dir: Path) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["COMPACTS_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compacts.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed_import(path: Path, checks, workers) -> dict:
    """One import into an emptied table: wall time, this process's CPU time, and the CPU time
    of the worker processes it waited for (``RUSAGE_CHILDREN``)."""
    from django.db import connection

    from compacts.iati.importer import CHILDREN, import_file
    from compacts.iati.models import ExternalActivity

    # Emptied in SQL: the ORM's cascading delete would load every row into memory first.
    with connection.cursor() as cursor:
        for model in [model for _key, model in CHILDREN] + [ExternalActivity]:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, wall = time.process_time(), time.perf_counter()
    run = import_file(path=path, checks=checks, workers=workers)
    wall, cpu = time.perf_counter() - wall, time.process_time() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return {"run": run, "wall": wall, "cpu": cpu, "workers_cpu": worker_cpu,
            "workers_rss": after.ru_maxrss / 1024}  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench iati_import")
    parser.add_argument("--megabytes", type=float, default=100.0)
    parser.add_argument("--shape", choices=("generated", "iom"), default="generated")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="compacts-iati-bench-"))
    try:
        _setup(folder / "data")
        from django.db import connection

        from compacts.iati.importer import _worker_count

        path = folder / "activities.xml"
        count = (generate if args.shape == "generated" else generate_iom)(path, args.megabytes)
        size_mb = path.stat().st_size / 1024 / 1024
        workers = _worker_count(None, path.stat().st_size)
        first_s, base_n, first_wall = bare_iterparse(path)
        assert base_n == count
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        passes = [
            ("import, all checks (XSD, codelists, ruleset) + upsert, 1 process", None, 1),
            (f"import, all checks + upsert, {workers} reading workers + this process", None,
             workers),
            ("import, XSD only + upsert, 1 process", ("schema",), 1),
        ]  # fmt: skip
        results = []
        for label, checks, processes in passes:
            result = timed_import(path, checks, processes)
            run = result["run"]
            assert run.status == "succeeded", run.message
            assert run.imported == count, run.rejected
            results.append((label, result))
            if len(results) == 1:  # the peak after the first import, in this process alone
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The baseline is timed before and after the imports and averaged.
        last_s, _count, last_wall = bare_iterparse(path)
        base_s, base_wall = (first_s + last_s) / 2, (first_wall + last_wall) / 2
        lines = [
            f"Run {datetime.date.today().isoformat()}, {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {os.cpu_count()} cores, a generated file of "
            f"{size_mb:.1f} MB with {count:,} activities "
            + (
                "(12 transactions each)."
                if args.shape == "generated"
                else "(the real IOM activity repeated, one transaction each)."
            ),
            f"Bare iterparse timed before ({first_wall:.1f} s wall, {first_s:.1f} s CPU) and "
            f"after ({last_wall:.1f} s, {last_s:.1f} s) the imports; the baseline is their mean. "
            "Throughput and its ratio are wall-clock; CPU is this process's, plus its workers'.",
            "",
            "| pass | wall s | activities/s | MB/s | ratio to bare parse | CPU s (workers) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            f"| bare `lxml.etree.iterparse` (baseline) | {base_wall:.1f} | {count / base_wall:,.0f} "
            f"| {size_mb / base_wall:.1f} | 1 | {base_s:.1f} |",
        ]
        for label, r in results:
            workers_cpu = f" ({r['workers_cpu']:.1f})" if r["workers_cpu"] > 0.05 else ""
            lines.append(
                f"| {label} | {r['wall']:.1f} | {count / r['wall']:,.0f} | {size_mb / r['wall']:.2f} "
                f"| {base_wall / r['wall']:.3f} | {r['cpu'] + r['workers_cpu']:.1f}{workers_cpu} |"
            )
        # What more cores could give: the readers' work shared out perfectly, this process
        # storing (its CPU time in the pass with workers) cannot be shared.
        shared = results[1][1]
        total = shared["cpu"] + shared["workers_cpu"]
        lines += [
            "",
            f"In the pass with workers, this process (storing) used {shared['cpu'] * 1000 / count:.3f}"
            f" ms of CPU per activity and the readers {shared['workers_cpu'] * 1000 / count:.3f} ms."
            f" However many cores read, storing caps the ratio at about "
            f"{base_wall / shared['cpu']:.2f}; one third would need the whole import's CPU time "
            f"({total:.1f} s) spread over about {total / (base_wall * 3):.1f} cores.",
        ]
        lines += [
            "",
            f"Peak RSS of this process {rss_before:.0f} MB before the imports, {rss_after:.0f} MB "
            f"after the first (in one process); of a worker, {results[1][1]['workers_rss']:.0f} "
            "MB, counting the pages it shares with this process (the file is streamed, never held "
            "in memory).",
        ]
        print("\n".join(lines))
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
