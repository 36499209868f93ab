"""Concurrent transfers cannot overdraw the fund.

Many threads, each with its own database connection, try to transfer at the same moment; their
sum exceeds the cash. Exactly as many as fit succeed, the others are refused, and the cash never
goes below zero. On PostgreSQL (``DATABASE_URL=postgres://...``) the fund's row lock makes the
others wait; on SQLite the write lock of ``BEGIN IMMEDIATE`` serialises them. The test is the
same on both.
"""

import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection

from compacts.core.exceptions import ApplicationError
from compacts.fund import services
from compacts.fund.models import Posting, PostingKind
from compacts.fund.selectors import fund_cash_available, fund_reconcile
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY

THREADS = 12
AMOUNT = Decimal("100.00")


def _transfer_in_thread(allocation, key, barrier, outcomes):
    from django.db import connections

    try:
        barrier.wait()
        while True:
            try:
                services.transfer_create(
                    allocation=allocation,
                    amount=AMOUNT,
                    value_date=DAY,
                    actor=None,
                    idempotency_key=key,
                )
                outcomes.append("ok")
                return
            except OperationalError as error:
                # SQLite's in-memory test database shares one cache between connections, where a
                # busy writer makes others fail with "locked" at once instead of waiting; the
                # client retries, as a web client would. A file database (production) waits.
                if connection.vendor != "sqlite" or "locked" not in str(error):
                    raise
            except ApplicationError as error:
                outcomes.append(error.message)
                return
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_transfers_never_overdraw():
    """12 transfers of 100 against 990 of cash: exactly 9 succeed and the cash ends at 90."""
    fund, orgs, _donor, _commitment, allocations = factories.funded("1000.00", participants=2)
    assert fund_cash_available(fund=fund) == Decimal("990.00")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    threads = [
        threading.Thread(
            target=_transfer_in_thread,
            args=(allocations[i % 2], f"concurrent-{i}", barrier, outcomes),
        )
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == THREADS
    assert outcomes.count("ok") == 9
    refusals = [o for o in outcomes if o != "ok"]
    assert all(o.startswith("Not enough money") for o in refusals), refusals
    assert fund_cash_available(fund=fund) == Decimal("90.00")
    assert Posting.objects.filter(fund=fund, kind=PostingKind.TRANSFER).count() == 9
    _sheet, checks, unbalanced = fund_reconcile(fund=fund)
    assert [c.name for c in checks if not c.ok] == []
    assert unbalanced == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_repeats_of_one_key_post_once():
    """The same deposit sent by 6 threads at once (one idempotency key) is posted once."""
    the_fund, _orgs = factories.fund()
    commitment = services.commitment_create(
        fund=the_fund,
        donor=factories.donor(),
        amount=Decimal("1000"),
        currency="USD",
        signed_on=DAY,
        actor=None,
    )
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def deposit():
        from django.db import connections

        try:
            barrier.wait()
            while True:
                try:
                    services.deposit_create(
                        commitment=commitment,
                        amount=Decimal("10"),
                        currency="USD",
                        value_date=DAY,
                        actor=None,
                        idempotency_key="same-bank-reference",
                    )
                    outcomes.append("ok")
                    return
                except OperationalError as error:
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                except ApplicationError as error:
                    outcomes.append(error.message)
                    return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deposit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert all("already recorded" in o for o in outcomes if o != "ok")
    assert Posting.objects.filter(fund=the_fund, kind=PostingKind.DEPOSIT).count() == 1
