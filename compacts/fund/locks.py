"""Row locks for the fund's writes, always taken in one order so that two transactions never wait
for each other in a cycle (Saleor's ``lock_objects.py``).

The order is: funds first, then allocations, each by ascending primary key. Every service that
checks an available balance takes the lock of the fund before reading it, inside the same
transaction as its posting, so the check and the write cannot be separated by another writer.

On PostgreSQL ``select_for_update`` blocks other writers of the same rows until commit. SQLite has
no row locks: the settings open every transaction with ``BEGIN IMMEDIATE``, which takes the
database's single write lock, so writers are serialised and the same code stays correct.
"""

from collections.abc import Iterable

from django.db import transaction

from compacts.fund.models import Allocation, Fund


def _lock(model, pks: Iterable[int]) -> dict[int, object]:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Row locks are only meaningful inside a transaction.")
    ordered = sorted({pk for pk in pks if pk is not None})
    rows = model.objects.select_for_update().filter(pk__in=ordered).order_by("pk")
    return {row.pk: row for row in rows}


def lock_funds(fund_ids: Iterable[int]) -> dict[int, Fund]:
    """Lock the funds' rows (ascending pk) and return them fresh from the database."""
    return _lock(Fund, fund_ids)


def lock_fund(fund: Fund) -> Fund:
    return lock_funds([fund.pk])[fund.pk]


def lock_fund_and_allocation(allocation: Allocation) -> tuple[Fund, Allocation]:
    """Lock an allocation and its fund, fund first (the global order)."""
    fund = lock_fund(allocation.fund)
    locked = _lock(Allocation, [allocation.pk])[allocation.pk]
    return fund, locked
