"""``compacts fund reconcile CODE`` and ``compacts fund rates-load FILE``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compacts.core.exceptions import ApplicationError
from compacts.fund.selectors import FACTSHEET_LINES, fund_get, fund_reconcile
from compacts.fund.services import exchange_rates_load_csv

LABELS = {
    "commitments": "Commitments",
    "deposits": "Deposits (contributions received)",
    "interest_fund": "Interest earned by the fund",
    "interest_po": "Interest earned by participating organisations",
    "transfers": "Transfers to participating organisations",
    "refunds": "Refunds from participating organisations",
    "fee": "Administrative agent fee",
    "direct_costs": "Direct costs",
    "bank_charges": "Bank charges",
    "expenditure": "Expenditure reported by participating organisations",
    "balance_with_aa": "Balance with the administrative agent",
    "balance_with_aa_pct_of_deposits": "  as % of deposits",
    "balance_with_pos": "Balance with participating organisations",
    "undeposited_commitments": "Commitments not yet deposited (incl. exchange differences)",
    "delivery_rate": "Delivery rate (expenditure / net transfers, %)",
}


class Command(BaseCommand):
    help = (
        "The fund's ledger: check it (`reconcile CODE`) and load exchange rates "
        "(`rates-load FILE`)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser(
            "reconcile",
            help="Print the factsheet, check every identity and account balance; "
            "exit 1 on a mismatch.",
        )
        reconcile.add_argument("code", help="The fund's code, such as MIG00.")
        rates = sub.add_parser("rates-load", help="Load exchange rates from a CSV file.")
        rates.add_argument("file", help="CSV with columns currency,effective_on,rate[,source].")
        rates.add_argument("--source", default="UN operational rates of exchange")

    def handle(self, *args, action, **options):
        if action == "rates-load":
            return self._rates_load(Path(options["file"]), options["source"])
        return self._reconcile(options["code"])

    def _rates_load(self, path: Path, source: str) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            count = exchange_rates_load_csv(text=text, source=source, actor=None)
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message} Nothing was loaded.") from None
        self.stdout.write(f"Loaded {count} exchange rates from {path}.")

    def _reconcile(self, code: str) -> None:
        try:
            fund = fund_get(code=code)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        sheet, checks, unbalanced = fund_reconcile(fund=fund)
        label = " (illustrative figures)" if fund.is_illustrative else ""
        label += " (synthetic data)" if fund.is_synthetic else ""
        self.stdout.write(f"Factsheet of {fund.code}, {fund.name}{label}, in {fund.currency}")
        for key in [
            *FACTSHEET_LINES,
            "balance_with_aa",
            "balance_with_aa_pct_of_deposits",
            "balance_with_pos",
            "undeposited_commitments",
            "delivery_rate",
        ]:
            value = sheet.totals[key]
            shown = "n/a" if value is None else f"{value:,.2f}"
            self.stdout.write(f"  {LABELS[key]:<62} {shown:>20}")
        self.stdout.write("Checks:")
        failures = 0
        for check in checks:
            mark = "ok  " if check.ok else "FAIL"
            failures += not check.ok
            detail = "" if check.ok else f" (expected {check.expected}, ledger {check.actual})"
            self.stdout.write(f"  {mark} {check.name}{detail}")
        for row in unbalanced:
            failures += 1
            self.stdout.write(
                f"  FAIL posting #{row['posting_id']} does not balance in "
                f"{row['currency']}: {row['total']}"
            )
        if failures:
            raise CommandError(f"{fund.code}: {failures} check(s) failed.")
        self.stdout.write(f"{fund.code}: all {len(checks)} checks passed; every posting balances.")
