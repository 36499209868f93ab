"""Fund benchmark: the factsheet (one fund, all funds) against a hand-written SQL aggregate over
the same tables, and posting throughput through the service against a bare bulk insert.

    uv run python -m bench fund_factsheet --scale 1            # SQLite file in COMPACTS_DATA_DIR
    DATABASE_URL=postgres://... uv run python -m bench fund_factsheet --scale 1

Seeds (or finishes seeding) the synthetic portfolio of ``compacts seed --scale N`` first. Every
figure is a ratio to a baseline measured in the same process, in the same run; the markdown it
prints goes to docs/performance.md ("Fund").
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
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
        "WHERE l.fund_id = %s GROUP BY a.code, a.party_id, l.kind, year"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fund_id])
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fund_factsheet")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small", action="store_true", help="The tiny per-fund profile.")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--postings", type=int, default=300, help="Postings for the throughput test."
    )
    args = parser.parse_args(argv)
    _setup()

    from django.core.management import call_command
    from django.db import connection

    from compacts.fund.models import Fund, PostingLine
    from compacts.fund.seed import seed_scale
    from compacts.fund.selectors import factsheet_get, portfolio_totals

    call_command("migrate", verbosity=0)
    seed_scale(scale=args.scale, stdout=io.StringIO(), small=args.small)
    fund = Fund.objects.get(code="SYN0001")
    lines_total = PostingLine.objects.count()
    lines_fund = PostingLine.objects.filter(fund=fund).count()
    funds = Fund.objects.count()

    one, one_q, one_sql = _compare(
        lambda: factsheet_get(fund=fund), lambda: _hand_sql_one(fund.pk), args.repeat
    )
    every, every_q, every_sql = _compare(portfolio_totals, _hand_sql_all, args.repeat)
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
