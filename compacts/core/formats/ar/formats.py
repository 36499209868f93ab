"""Arabic number formats after the Unicode CLDR (as Babel gives them for ``ar``): Western digits,
``.`` for decimals and ``,`` between groups of three. Django's own ``ar`` formats use ``,`` for
decimals and do not group, which shows ``USD 1000000`` in the gateway's figures."""

from django.conf.locale.ar.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
