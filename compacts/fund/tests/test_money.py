"""The rounding rules of docs/fund.md ("Rounding"), on their edge cases."""

from decimal import Decimal

from django.test import SimpleTestCase

from compacts.core.exceptions import ApplicationError
from compacts.core.money import (
    amount_parse,
    convert_to_reporting,
    currency_validate,
    percentage_of,
    rate_parse,
    round_cents,
)

D = Decimal


class RoundCentsTests(SimpleTestCase):
    def test_half_even_at_the_cent(self):
        """Ties go to the even cent, in both directions; non-ties round to nearest."""
        cases = {
            "0.125": "0.12",
            "0.135": "0.14",
            "0.145": "0.14",
            "2.675": "2.68",
            "-0.125": "-0.12",
            "-0.135": "-0.14",
            "0.1250000001": "0.13",
            "0.005": "0.00",
            "0.015": "0.02",
            "1234567.995": "1234568.00",
        }
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(round_cents(D(value)), D(expected))


class ConversionTests(SimpleTestCase):
    def test_conversion_rounds_once_at_the_end(self):
        """1,000,000 EUR at 0.9 EUR per USD = 1,111,111.111... -> 1,111,111.11."""
        self.assertEqual(convert_to_reporting(D("1000000"), rate=D("0.9")), D("1111111.11"))

    def test_conversion_tie_goes_to_even(self):
        """0.25 / 2 = 0.125 exactly -> 0.12; 0.35 / 2 = 0.175 -> 0.18."""
        self.assertEqual(convert_to_reporting(D("0.25"), rate=D("2")), D("0.12"))
        self.assertEqual(convert_to_reporting(D("0.35"), rate=D("2")), D("0.18"))

    def test_conversion_of_zero_decimal_currency(self):
        """JPY 1,000,003 at 151.23 JPY per USD = 6612.464... -> 6612.46."""
        self.assertEqual(convert_to_reporting(D("1000003"), rate=D("151.23")), D("6612.46"))

    def test_many_small_deposits_are_not_rounded_as_one(self):
        """Three deposits of EUR 1.00 at 3 EUR/USD are 0.33 each, 0.99 in all, not 1.00: each entry
        is rounded on its own and sums are exact, so the ledger equals its lines."""
        parts = [convert_to_reporting(D("1.00"), rate=D("3")) for _ in range(3)]
        self.assertEqual(sum(parts), D("0.99"))

    def test_fee_rounds_half_even(self):
        self.assertEqual(percentage_of(D("12.50"), rate=D("0.01")), D("0.12"))
        self.assertEqual(percentage_of(D("13.50"), rate=D("0.01")), D("0.14"))
        self.assertEqual(percentage_of(D("0.49"), rate=D("0.01")), D("0.00"))
        self.assertEqual(percentage_of(D("666666.67"), rate=D("0.01")), D("6666.67"))


class AmountParseTests(SimpleTestCase):
    def test_amounts_are_never_rounded_on_input(self):
        self.assertEqual(amount_parse("10.5", currency="USD"), D("10.50"))
        self.assertEqual(amount_parse("1000", currency="JPY"), D("1000"))
        self.assertEqual(amount_parse("1.234", currency="KWD"), D("1.234"))
        self.assertEqual(amount_parse("10.50000", currency="USD"), D("10.50"))
        for value, currency, message in [
            ("10.001", "USD", "at most 2 decimals"),
            ("10.5", "JPY", "at most 0 decimals"),
            ("0", "USD", "greater than zero"),
            ("-0.01", "USD", "greater than zero"),
            ("Infinity", "USD", "is not an amount"),
            ("1e30", "USD", "too large"),
            ("", "USD", "is not an amount"),
        ]:
            with self.subTest(value=value), self.assertRaisesMessage(ApplicationError, message):
                amount_parse(value, currency=currency)

    def test_rates_and_currencies(self):
        self.assertEqual(rate_parse("0.91370000"), D("0.9137"))
        for value in ("0", "-1", "x", "0.123456789"):
            with self.subTest(value=value), self.assertRaises(ApplicationError):
                rate_parse(value)
        self.assertEqual(currency_validate(" eur "), "EUR")
        for code in ("EURO", "XYZ", "", "US"):
            with (
                self.subTest(code=code),
                self.assertRaisesMessage(ApplicationError, "Unknown currency"),
            ):
                currency_validate(code)
