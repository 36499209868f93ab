"""Fund benchmark: the factsheet (one fund, all funds) against a hand-written SQL aggregate over
the same tables, and posting throughput through the service against a bare bulk insert.

    uv run python -m bench fund_factsheet --scale 1            # SQLite file in COMPACTS_DATA_DIR
    DATABASE_URL=postgres://... uv run python -m bench fund_factsheet --scale 1

Seeds (or finishes seeding) the synthetic portfolio of ``compacts seed --scale N`` first; with
``--replicate`` the funds above scale 1 are copies of the scale-1 funds' ledgers made with SQL
(minutes instead of hours at scale 10; see ``_replicate``). Every
figure is a ratio to a baseline measured in the same process, in the same run; the markdown it
prints goes to docs/performance.md ("Fund").
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from decimal import Decimal


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compacts.config.settings.local")
    import django

    django.setup()


def _compare(function, baseline, repeat: int) -> tuple[float, int, float]:
    """Median seconds of ``function`` and of ``baseline`` over ``repeat`` runs each, run in
    alternation so that a change in the machine's load hits both alike; and the queries of one
    run of ``function``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm caches
    baseline()
    with CaptureQueriesContext(connection) as queries:
        function()
    ours, theirs = [], []
    for _ in range(repeat):
        for call, times in ((function, ours), (baseline, theirs)):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return statistics.median(ours), len(queries), statistics.median(theirs)


def _year_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "EXTRACT(YEAR FROM l.value_date)"
    return "CAST(strftime('%%Y', l.value_date) AS INTEGER)"


def _hand_sql_one(fund_id: int):
    from django.db import connection

    sql = (
        f"SELECT a.code, a.party_id, l.kind, {_year_sql(connection.vendor)} AS year, "
        "SUM(l.amount) FROM fund_postingline l JOIN fund_account a ON a.id = l.account_id "
        "WHERE l.fund_id = %s AND a.fund_id = %s GROUP BY a.code, a.party_id, l.kind, year"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fund_id, fund_id])
        return cursor.fetchall()


def _hand_sql_all():
    from django.db import connection

    sql = (
        "SELECT l.fund_id, a.code, a.party_id IS NULL, l.kind, SUM(l.amount) "
        "FROM fund_postingline l JOIN fund_account a ON a.id = l.account_id "
        "GROUP BY l.fund_id, a.code, a.party_id IS NULL, l.kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _throughput(count: int) -> tuple[float, float]:
    """Postings per second through ``interest_record`` and through a bare bulk insert of the
    same rows (one posting, two lines each)."""
    from django.db import transaction

    from compacts.fund import services
    from compacts.fund.models import Account, AccountCode, Posting, PostingKind, PostingLine
    from compacts.fund.seed import _organisations

    agent = _organisations("administrative agent", 1, "un-entity")[0]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%H%M%S%f")
    fund = services.fund_create(
        code=f"BENCH{stamp}"[:20],
        name="Synthetic benchmark fund",
        administrative_agent=agent,
        actor=None,
        is_synthetic=True,
    )
    day = datetime.date(2025, 1, 1)
    start = time.perf_counter()
    for _ in range(count):
        services.interest_record(fund=fund, amount=Decimal("1.00"), value_date=day, actor=None)
    service_rate = count / (time.perf_counter() - start)

    cash = Account.objects.get(fund=fund, code=AccountCode.CASH, party=None)
    interest = Account.objects.get(fund=fund, code=AccountCode.INTEREST, party=None)
    start = time.perf_counter()
    with transaction.atomic():
        postings = Posting.objects.bulk_create(
            [
                Posting(fund=fund, kind=PostingKind.INTEREST, value_date=day, is_synthetic=True)
                for _ in range(count)
            ]
        )
        PostingLine.objects.bulk_create(
            [
                PostingLine(
                    posting=posting,
                    account=account,
                    fund=fund,
                    kind=PostingKind.INTEREST,
                    value_date=day,
                    amount=amount,
                    currency="USD",
                )
                for posting in postings
                for account, amount in ((cash, Decimal("1.00")), (interest, Decimal("-1.00")))
            ]
        )
    bulk_rate = count / (time.perf_counter() - start)
    return service_rate, bulk_rate


def _replicate(scale: float, stdout) -> int:
    """Reach ``scale`` by copying the ledgers of the scale-1 funds (SYN0001-SYN0150) into the
    missing funds SYN0151... with SQL (``INSERT ... SELECT``): the same accounts, postings and
    lines under a new fund, ids shifted past the current maximum. Only what the factsheet and
    the portfolio totals read is copied (funds, accounts, postings, lines); the copies' postings
    name no allocation, reversal or related posting. Seeding scale 10 with the bulk writer takes
    hours on a shared 2-core machine; this takes minutes and gives the tables the same size and
    the same per-fund shape. Returns the number of funds copied."""
    from django.db import connection, transaction

    from compacts.fund.models import Account, Fund, Posting, PostingLine
    from compacts.fund.seed import FULL

    per_unit = FULL.funds_per_unit
    target = max(1, round(per_unit * scale))
    existing = dict(Fund.objects.filter(is_synthetic=True).values_list("code", "id"))
    sources = [existing.get(f"SYN{n:04d}") for n in range(1, per_unit + 1)]
    if None in sources:
        raise SystemExit("Seed scale 1 first: --replicate copies the funds SYN0001-SYN0150.")

    def columns(model, replace: dict[str, str], skip: tuple[str, ...] = ()) -> tuple[str, str]:
        names = [f.column for f in model._meta.concrete_fields if f.column not in skip]
        return ", ".join(names), ", ".join(replace.get(name, name) for name in names)

    def max_id(table: str) -> int:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]

    def min_id(table: str, fund_id: int) -> int:
        cursor.execute(f"SELECT COALESCE(MIN(id), 0) FROM {table} WHERE fund_id = %s", [fund_id])  # noqa: S608
        return cursor.fetchone()[0]

    copied = 0
    for number in range(per_unit + 1, target + 1):
        code = f"SYN{number:04d}"
        if code in existing:
            continue
        source = sources[(number - 1) % per_unit]
        with transaction.atomic(), connection.cursor() as cursor:
            fund_id = max_id("fund_fund") + 1
            # Literals, not parameters: PostgreSQL cannot type a parameter in a SELECT list.
            name = f"Synthetic fund {number} (copy of a scale-1 fund)"
            names, values = columns(
                Fund, {"id": str(int(fund_id)), "code": f"'{code}'", "name": f"'{name}'"}
            )
            cursor.execute(
                f"INSERT INTO fund_fund ({names}) SELECT {values} FROM fund_fund WHERE id = %s",  # noqa: S608
                [source],
            )
            shifts = {}
            for model, table in ((Account, "fund_account"), (Posting, "fund_posting")):
                shift = max_id(table) + 1 - min_id(table, source)
                shifts[table] = shift
                replace = {"id": f"id + {shift}", "fund_id": str(fund_id)}
                if model is Posting:
                    replace |= {
                        "allocation_id": "NULL",
                        "reversal_of_id": "NULL",
                        "related_to_id": "NULL",
                    }
                names, values = columns(model, replace)
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} "  # noqa: S608
                    "WHERE fund_id = %s",
                    [source],
                )
            names, values = columns(
                PostingLine,
                {
                    "posting_id": f"posting_id + {shifts['fund_posting']}",
                    "account_id": f"account_id + {shifts['fund_account']}",
                    "fund_id": str(fund_id),
                },
                skip=("id",),
            )
            cursor.execute(
                f"INSERT INTO fund_postingline ({names}) SELECT {values} FROM fund_postingline "  # noqa: S608
                "WHERE fund_id = %s",
                [source],
            )
        copied += 1
        if copied % 50 == 0:
            stdout.write(f"  fund: copied {copied} funds (up to {code})\n")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("fund_fund", "fund_account", "fund_posting", "fund_postingline"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
    return copied


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fund_factsheet")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small", action="store_true", help="The tiny per-fund profile.")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--repeat-all",
        type=int,
        default=None,
        help="Runs of the all-funds totals (default: --repeat); they scan every line.",
    )
    parser.add_argument(
        "--postings", type=int, default=300, help="Postings for the throughput test."
    )
    parser.add_argument(
        "--replicate",
        action="store_true",
        help="Reach the scale by copying the scale-1 funds' ledgers with SQL (seed 1 first).",
    )
    args = parser.parse_args(argv)
    _setup()

    from django.core.management import call_command
    from django.db import connection

    from compacts.fund.models import Fund, PostingLine
    from compacts.fund.seed import seed_scale
    from compacts.fund.selectors import factsheet_get, portfolio_totals

    call_command("migrate", verbosity=0)
    if args.replicate:
        _replicate(args.scale, sys.stderr)
    seed_scale(scale=args.scale, stdout=io.StringIO(), small=args.small)
    fund = Fund.objects.get(code="SYN0001")
    lines_total = PostingLine.objects.count()
    lines_fund = PostingLine.objects.filter(fund=fund).count()
    funds = Fund.objects.count()

    one, one_q, one_sql = _compare(
        lambda: factsheet_get(fund=fund), lambda: _hand_sql_one(fund.pk), args.repeat
    )
    every, every_q, every_sql = _compare(
        portfolio_totals, _hand_sql_all, args.repeat_all or args.repeat
    )
    service_rate, bulk_rate = _throughput(args.postings)

    print(
        f"### {connection.vendor}, scale {args.scale}{' (small profile)' if args.small else ''}: "
        f"{funds} funds, {lines_total:,} ledger lines ({lines_fund:,} in SYN0001)\n"
    )
    print("| Measure | compacts | baseline (same run) | ratio |")
    print("| --- | --- | --- | --- |")
    print(
        f"| Factsheet, one fund | {one * 1000:.2f} ms, {one_q} queries | hand-written SQL "
        f"{one_sql * 1000:.2f} ms, 1 query | {one / one_sql:.2f}x |"
    )
    print(
        f"| Factsheet totals, all funds | {every * 1000:.2f} ms, {every_q} queries | hand-written "
        f"SQL {every_sql * 1000:.2f} ms, 1 query | {every / every_sql:.2f}x |"
    )
    print(
        f"| Posting throughput | {service_rate:,.0f} postings/s (service, audited) | bulk insert "
        f"{bulk_rate:,.0f} postings/s | {service_rate / bulk_rate:.3f} |"
    )
    return 0
