"""Money: ``Decimal`` amounts with an ISO 4217 currency, never float.

The rounding rules (docs/fund.md, "Rounding"):

- An amount typed by a person or sent by a client is *never* rounded: it must be a finite number
  with no more decimals than its currency's minor unit (2 for USD and EUR, 0 for JPY, 3 for KWD),
  otherwise it is refused.
- A conversion to the reporting currency divides by the rate with 28 significant digits and rounds
  once, at the end, half-even ("banker's rounding") to the cent.
- A percentage of an amount (the administrative agent fee) is rounded once, half-even, to the cent.
- Sums of amounts are exact (cents added to cents); reversals are exact negations.
"""

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext

from babel.numbers import get_currency_precision, list_currencies
from django.utils.translation import gettext as _

from compacts.core.exceptions import ApplicationError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Django DecimalField sizes used for amounts and rates throughout the platform.
AMOUNT_DIGITS = 20
AMOUNT_PLACES = 2
RATE_DIGITS = 20
RATE_PLACES = 8

_CURRENCIES = frozenset(list_currencies())


def round_cents(value: Decimal) -> Decimal:
    """Round half-even to the cent: 0.125 -> 0.12, 0.135 -> 0.14, -0.125 -> -0.12."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def currency_validate(code: str) -> str:
    """The upper-cased ISO 4217 code, or an ``ApplicationError`` naming the unknown code."""
    normalised = (code or "").strip().upper()
    if len(normalised) != 3 or normalised not in _CURRENCIES:
        raise ApplicationError(
            _("Unknown currency %(code)s: use an ISO 4217 code such as USD or EUR.")
            % {"code": code or "''"},
            {"field": "currency", "currency": code},
        )
    return normalised


def currency_places(code: str) -> int:
    """How many decimals an amount in this currency may have (its ISO 4217 minor unit)."""
    return get_currency_precision(code)


def amount_parse(value, *, currency: str, field: str = "amount") -> Decimal:
    """A strictly positive amount in ``currency``; refuses floats, zero, negatives and sub-units.

    Floats are refused because they cannot hold most decimal fractions exactly (0.1 is
    0.1000000000000000055...); pass a string or a ``Decimal``.
    """
    if isinstance(value, float):
        raise ApplicationError(
            _("Amounts must be given as text or decimal numbers, not floating-point numbers."),
            {"field": field},
        )
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            _("%(value)s is not an amount.") % {"value": value}, {"field": field}
        ) from None
    if not amount.is_finite():
        raise ApplicationError(
            _("%(value)s is not an amount.") % {"value": value}, {"field": field}
        )
    if amount <= 0:
        raise ApplicationError(
            _("The amount must be greater than zero (got %(value)s).") % {"value": amount},
            {"field": field},
        )
    places = currency_places(currency)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ApplicationError(
            _("An amount in %(currency)s has at most %(places)s decimals (got %(value)s).")
            % {"currency": currency, "places": places, "value": amount},
            {"field": field},
        )
    if amount >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise ApplicationError(_("The amount is too large."), {"field": field})
    return amount.quantize(Decimal(1).scaleb(-places)) if places else amount.quantize(Decimal(1))


def rate_parse(value, *, field: str = "rate") -> Decimal:
    """A strictly positive exchange rate with at most ``RATE_PLACES`` decimals."""
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            _("%(value)s is not an exchange rate.") % {"value": value}, {"field": field}
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise ApplicationError(
            _("An exchange rate must be a number greater than zero (got %(value)s).")
            % {"value": value},
            {"field": field},
        )
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_PLACES:
        raise ApplicationError(
            _("An exchange rate has at most %(places)s decimals (got %(value)s).")
            % {"places": RATE_PLACES, "value": value},
            {"field": field},
        )
    return rate


def convert_to_reporting(amount: Decimal, *, rate: Decimal) -> Decimal:
    """``amount`` (in units of a currency) divided by ``rate`` (units of that currency per one unit
    of the reporting currency, as the UN operational rates of exchange are quoted), rounded once,
    half-even, to the cent."""
    with localcontext() as context:
        context.prec = 28
        return round_cents(Decimal(amount) / Decimal(rate))


def percentage_of(amount: Decimal, *, rate: Decimal) -> Decimal:
    """``amount`` x ``rate`` (0.01 for 1%), rounded once, half-even, to the cent."""
    with localcontext() as context:
        context.prec = 28
        return round_cents(Decimal(amount) * Decimal(rate))
