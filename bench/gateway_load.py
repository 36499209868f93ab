"""Gateway under load: requests per second and p95 latency of the public gateway's pages, served
by the production server (gunicorn, as ``compacts up`` runs it) on loopback, each as a ratio to a
static file served by the same server in the same run.

    uv run python -m bench gateway_load --scale 1
    uv run python -m bench gateway_load --scale 10 --replicate --data-dir /tmp/gw-10

Steps: a throwaway SQLite database in a temporary data folder (``--data-dir`` keeps and reuses
one; seeding resumes) gets the migrations, reference data, demonstration data and the synthetic
portfolio of ``compacts seed --scale N``; static files are collected; gunicorn starts on a free
loopback port. The addresses are taken from the gateway's ``urlpatterns`` at run time
(``gateway:overview``, ``gateway:programmes`` with a country facet and a search word found in the
data, ``gateway:programme`` for a public programme); a page that does not exist yet, or does not
answer 200, is reported as missing instead of measured.

The load generator is bounded: ``--concurrency`` persistent HTTP/1.1 connections (threads and
``http.client``), each sending its next request when the previous answer has been read, for
``--duration`` seconds per page and round, after ``--warmup`` seconds of unrecorded load a page
(each gunicorn worker process has its own cache to fill). Rounds alternate the pages (static file
first) so that a change in the machine's load hits them alike; every page's figures pool its
rounds. Goal
(issue 6): every page at least half the static file's throughput, and the same ratio at scales
1 and 10. The client runs on the same machine as the server and takes CPU from it; the ratios,
not the absolute numbers, are what compare across machines.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
SETTINGS = "compacts.config.settings.local"


@dataclass
class Target:
    name: str
    path: str | None  # None: the page does not exist (yet)
    note: str = ""
    latencies: list[float] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=20)[18]


def _prepare(*, scale: float, stdout, data_dir: Path, replicate: bool = False) -> float:
    """Migrate, load reference and demonstration data, seed ``scale`` and collect static files,
    in this process (settings read ``COMPACTS_DATA_DIR`` set by ``main``); seconds taken. With
    ``replicate``, seed scale 1 and copy it up to ``scale`` in SQL (``_replicate``)."""
    import django

    django.setup()
    from django.core.management import call_command

    from compacts.core.i18n import compile_catalogues, project_app_dirs

    started = time.monotonic()
    compile_catalogues(project_app_dirs())
    call_command("migrate", interactive=False, verbosity=0)
    marker = data_dir / f"gateway-load-prepared-{scale:g}"
    if marker.exists():  # a kept folder: the data are there
        call_command("collectstatic", interactive=False, verbosity=0)
        stdout.write(f"  reusing the data of scale {scale:g} in {data_dir}\n")
        return time.monotonic() - started
    call_command("reference", stdout=io.StringIO())
    stdout.write(f"  reference data: {time.monotonic() - started:.0f} s\n")
    seeded = time.monotonic()
    seed_scale = min(scale, 1.0) if replicate else scale
    call_command("seed", scale=seed_scale, stdout=io.StringIO())  # resumes a kept folder's seed
    stdout.write(f"  seed --scale {seed_scale:g}: {time.monotonic() - seeded:.0f} s\n")
    demo = time.monotonic()
    call_command("demo", stdout=io.StringIO())  # the gateway shows MIG00, a demonstration fund
    stdout.write(f"  demonstration data: {time.monotonic() - demo:.0f} s\n")
    if replicate and scale > 1:
        copied = time.monotonic()
        funds, programmes = _replicate(scale, stdout)
        stdout.write(
            f"  replicated to scale {scale:g}: {funds} funds, {programmes} programmes in "
            f"{time.monotonic() - copied:.0f} s\n"
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.touch()
    return time.monotonic() - started


def _replicate(scale: float, stdout) -> tuple[int, int]:
    """Copy scale 1 up to ``scale`` with SQL, as ``bench/fund_factsheet.py --replicate`` does
    for the ledgers (funds, accounts, postings, lines), plus each copied fund's programmes
    (codes renamed after the copy, countries and organisations kept) and their search rows.
    Seeding scale 10 through the seed takes hours on a shared 2-core machine; this takes
    minutes and gives the tables ten times the rows with the same shape."""
    from django.db import connection, transaction

    from bench.fund_factsheet import _replicate as replicate_ledgers
    from compacts.fund.models import Fund
    from compacts.fund.seed import FULL
    from compacts.programmes.models import Programme
    from compacts.programmes.search import PROGRAMME_INDEX

    funds = replicate_ledgers(scale, stdout)
    per_unit = FULL.funds_per_unit
    codes = dict(Fund.objects.filter(is_synthetic=True).values_list("code", "id"))
    names = [f.column for f in Programme._meta.concrete_fields]
    copied = 0
    for number in range(per_unit + 1, max(1, round(per_unit * scale)) + 1):
        code, source_code = f"SYN{number:04d}", f"SYN{(number - 1) % per_unit + 1:04d}"
        fund_id, source_id = codes[code], codes[source_code]
        if Programme.objects.filter(fund_id=fund_id).exists():
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM programmes_programme")
            top = cursor.fetchone()[0]
            cursor.execute(
                "SELECT COALESCE(MIN(id), 0) FROM programmes_programme WHERE fund_id = %s",
                [source_id],
            )
            shift = top + 1 - cursor.fetchone()[0]
            replace = {
                "id": f"id + {shift}",
                "fund_id": str(int(fund_id)),
                "code": f"REPLACE(code, '{source_code}', '{code}')",
                "title": f"REPLACE(title, '{source_code}', '{code}')",
                "keywords": f"REPLACE(keywords, '{source_code[3:]}', '{code[3:]}')",
            }
            values = ", ".join(replace.get(name, name) for name in names)
            cursor.execute(
                f"INSERT INTO programmes_programme ({', '.join(names)}) "  # noqa: S608 - constants
                f"SELECT {values} FROM programmes_programme WHERE fund_id = %s",
                [source_id],
            )
            copied += cursor.rowcount
            for through, column in (
                (Programme.countries.through, "country_id"),
                (Programme.participating_organisations.through, "organisation_id"),
            ):
                table = through._meta.db_table
                cursor.execute(
                    f"INSERT INTO {table} (programme_id, {column}) "  # noqa: S608 - constants
                    f"SELECT t.programme_id + {shift}, t.{column} FROM {table} t "
                    "JOIN programmes_programme p ON p.id = t.programme_id WHERE p.fund_id = %s",
                    [source_id],
                )
    PROGRAMME_INDEX.reindex()
    return funds, copied


def _targets() -> list[Target]:
    """The addresses to measure, found in the gateway's urlpatterns and the seeded data."""
    from django.templatetags.static import static
    from django.urls import NoReverseMatch, reverse

    targets = [Target("Static file (baseline)", static("core/site.css"))]

    def address(name: str, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    overview = address("gateway:overview")
    targets.append(
        Target("Fund overview", overview, "" if overview else "no route gateway:overview yet")
    )
    directory = address("gateway:programmes")
    programme_id, country, word = _sample_programme()
    if directory is None:
        targets.append(Target("Programme directory, facet + search", None, "no route yet"))
    elif programme_id is None:
        targets.append(
            Target("Programme directory, facet + search", None, "no public programme seeded")
        )
    else:
        query = urlencode(
            {key: value for key, value in (("country", country), ("q", word)) if value}
        )
        targets.append(Target("Programme directory, facet + search", f"{directory}?{query}"))
    page = address("gateway:programme", programme_id=programme_id) if programme_id else None
    targets.append(
        Target(
            "Programme page",
            page,
            "" if page else "no route gateway:programme or no public programme seeded",
        )
    )
    return targets


def _sample_programme() -> tuple[int | None, str, str]:
    """A public programme (the one in the middle of the list), a country it works in and a word
    of its title, so the facet and the search both match something."""
    try:
        from compacts.gateway.selectors.fund import public_programmes
    except ImportError:
        return None, "", ""
    programmes = public_programmes().order_by("id")
    count = programmes.count()
    if not count:
        return None, "", ""
    programme = programmes[count // 2]
    country = programme.countries.values_list("iso2", flat=True).first() or ""
    words = [w for w in str(getattr(programme, "title", "")).split() if len(w) > 4 and w.isalpha()]
    return programme.id, country, (words[0] if words else "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _serve(*, port: int, workers: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed argument list, as compacts up
        [
            sys.executable,
            "-m",
            "gunicorn",
            "compacts.config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--graceful-timeout",
            "10",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path, headers={"Accept-Language": "en"})
    response = connection.getresponse()
    response.read()
    return response.status


def _wait_until_up(port: int, path: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            if _get(connection, path) == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 120 s")


def _status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        return _get(connection, path)
    finally:
        connection.close()


def _load(port: int, target: Target, *, concurrency: int, duration: float) -> None:
    """``concurrency`` connections request ``target`` back to back for ``duration`` seconds."""
    lock = threading.Lock()
    start = time.monotonic()
    stop_at = start + duration

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        latencies, errors = [], 0
        while time.monotonic() < stop_at:
            sent = time.perf_counter()
            try:
                status = _get(connection, target.path)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                errors += 1
                continue
            if status != 200:  # counted apart: an error page is no measure of the page
                errors += 1
                continue
            latencies.append(time.perf_counter() - sent)
        connection.close()
        with lock:
            target.latencies.extend(latencies)
            target.requests += len(latencies)
            target.errors += errors

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    target.seconds += time.monotonic() - start


def _report(*, scale: float, targets: list[Target], args, prepared: float) -> str:
    baseline = targets[0]
    lines = [
        f"### Scale {scale:g} (SQLite, gunicorn {args.workers} workers x 4 threads, "
        f"{args.concurrency} connections, {args.rounds} rounds x {args.duration:g} s a page)",
        "",
        "| Page | requests/s | p95 latency (ms) | errors | throughput ratio to static | "
        "p95 ratio to static |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for target in targets:
        if target.path is None:
            lines.append(f"| {target.name} | not measured: {target.note} | | | | |")
            continue
        ratio = target.throughput / baseline.throughput if baseline.throughput else 0.0
        p95_ratio = target.p95 / baseline.p95 if baseline.p95 else 0.0
        lines.append(
            f"| {target.name} (`{target.path}`) | {target.throughput:.1f} | "
            f"{target.p95 * 1000:.1f} | {target.errors} | {ratio:.2f} | {p95_ratio:.1f} |"
        )
    lines += ["", f"Preparing the database took {prepared:.0f} s."]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench gateway_load")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=8, help="Connections at once.")
    parser.add_argument("--duration", type=float, default=8.0, help="Seconds a page a round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="Seconds of unrecorded load a page first."
    )
    parser.add_argument("--workers", type=int, default=min(4, (os.cpu_count() or 1) * 2))
    parser.add_argument(
        "--prepare-only", action="store_true", help="Prepare --data-dir, then stop (no load)."
    )
    parser.add_argument(
        "--data-dir", help="Keep the database here and reuse it (default: a temporary folder)."
    )
    parser.add_argument(
        "--replicate",
        action="store_true",
        help="Above scale 1: seed scale 1, then copy it up to --scale in SQL (minutes, not hours).",
    )
    args = parser.parse_args(argv)

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="gw-load-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["COMPACTS_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.pop("DATABASE_URL", None)  # a throwaway SQLite file, never a shared server
    os.environ.setdefault("DJANGO_DEBUG", "false")
    print(f"Preparing {data_dir} at scale {args.scale:g}...", flush=True)
    server = None
    try:
        prepared = _prepare(
            scale=args.scale, stdout=sys.stdout, data_dir=data_dir, replicate=args.replicate
        )
        if args.prepare_only:
            print(f"Prepared in {prepared:.0f} s.")
            return 0
        targets = _targets()
        from django.db import connections

        connections.close_all()  # the server's processes open their own
        port = _free_port()
        server = _serve(port=port, workers=args.workers, env=dict(os.environ))
        _wait_until_up(port, targets[0].path, server)
        for target in targets:
            if target.path is None:
                continue
            status = _status(port, target.path)  # also fills the page's caches
            if status != 200:
                target.note = f"answered {status}"
                target.path = None
        for target in targets:  # every worker process fills its own caches first
            if target.path is not None:
                warm = Target(target.name, target.path)
                _load(port, warm, concurrency=args.concurrency, duration=args.warmup)
        for round_number in range(args.rounds):
            for target in targets:
                if target.path is not None:
                    _load(port, target, concurrency=args.concurrency, duration=args.duration)
            print(f"  round {round_number + 1}/{args.rounds} done", flush=True)
        print()
        print(_report(scale=args.scale, targets=targets, args=args, prepared=prepared))
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0
