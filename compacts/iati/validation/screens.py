"""Screens: find, in a few calls of C per context, the few places where a rule case might fail.

The rule engine (:mod:`compacts.iati.validation.rules`) tests every case of the ruleset on
every context element in Python: about 170 tests for an activity with a dozen transactions,
most of the import's time. Valid documents fail almost none of them. A *screen* is a cheap
over-approximation of a case's failures, evaluated over the whole document (a batch of
activities when importing):

- an **XPath screen** is a predicate, true on the context elements where the case *might*
  fail. The predicates of all the cases of one context are joined into one XPath,
  ``(CONTEXT)[p1 or p2 or ...]``, so libxml2 walks the context once for all of them;
- a **value screen** selects every value the case reads, for every context element at once
  (``(CONTEXT)/PATH``, shared by the cases that read the same path), and a Python test says
  whether one of them might fail (regular expressions, white space, decimals, identifier sets,
  times: what XPath 1.0 cannot say exactly).

The exact engine then tests only the elements an XPath screen selects (every case with an
XPath screen, on those elements), and every element of a case whose value screen flags a
value or that has no screen. So the findings are the exact engine's, in the same order. A
screen must never miss a failure; it may select where the case passes (the exact test then
says so). The rules below keep that promise:

- a path is only used in a screen if it is a node-set expression (checked once, when the
  screen is compiled: the exact engine reads a number or a boolean as "no nodes", XPath's
  ``not()`` would not);
- numbers are compared in XPath only where floating point cannot change the verdict (sums of
  fewer than 1,000 plain decimals of at most five characters before the point and four after,
  against a whole number; dates of exactly ``YYYY-MM-DD``); anything else is selected;
- ``condition`` is kept (it only makes a case not applicable); ``idCondition``, which only
  narrows where a case applies, is ignored: more is selected;
- a case type without a screen, or a screen XPath cannot evaluate, tests every element.

``tests/validation/test_screens.py`` checks on the IATI schema test suite, the rulesets' meta
tests, the demonstration data's export and mutated generated activities that the screened and
the exact engines report the same failures.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from lxml import etree

from compacts.iati.validation.rules import (
    LOOP_VARIABLE,
    NOW_TOKENS,
    RulesetError,
    _substitute,
    canonical_rule_name,
    parse_datetime,
    text_of,
    to_decimal,
)

_STRING_VALUE = etree.XPath("string()", smart_strings=False)
_PROBE = etree.fromstring(
    "<iati-activities><iati-activity><transaction/></iati-activity></iati-activities>"
)


class NotScreenable(Exception):  # noqa: N818 - a signal, not an error
    """A case whose screen cannot be written safely: every element is tested."""


@lru_cache(maxsize=4096)
def is_node_set(expression: str) -> bool:
    """Whether ``expression`` is a node-set expression (XPath 1.0 types are static: ``count()``
    of anything else fails whatever the document)."""
    try:
        etree.XPath(f"count({expression})")(_PROBE, iati_loop_value="")
    except (etree.XPathSyntaxError, etree.XPathEvalError):
        return False
    return True


def _nodes(*paths: str) -> list[str]:
    for path in paths:
        if not isinstance(path, str) or not is_node_set(path):
            raise NotScreenable(path)
    return list(paths)


def _expression(text) -> str:
    """A condition / if / then: any type (XPath's ``boolean()`` is the engine's ``truthy``)."""
    if not isinstance(text, str):
        raise NotScreenable(text)
    try:
        etree.XPath(f"boolean({text})")
    except etree.XPathSyntaxError as exc:
        raise NotScreenable(text) from exc
    return f"boolean({text})"


def _any(paths: list[str]) -> str:
    return " or ".join(f"boolean({path})" for path in paths)


def _total(paths: list[str]) -> str:
    return " + ".join(f"count({path})" for path in paths)


def _plain_numbers(path: str) -> str:
    text = "normalize-space(.)"
    return (
        f"not(({path})[contains(., 'e') or contains(., 'E') or "
        f"string-length(substring-before(concat({text}, '.'), '.')) > 5 or "
        f"string-length(substring-after({text}, '.')) > 4])"
    )


def _ymd(path: str) -> str:
    """The first node of ``path`` as the number YYYYMMDD (NaN unless a plain date)."""
    return f"number(translate(string({path}), '-', ''))"


def _is_date(path: str) -> str:
    return f"string-length(string({path})) = 10"


# -- XPath screens: a predicate, true where the case might fail ----------------------------------
def _atleast_one(case: dict) -> str:
    return f"not({_any(_nodes(*case['paths']))})"


def _no_more_than_one(case: dict) -> str:
    return f"{_total(_nodes(*case['paths']))} > 1"


def _dependent(case: dict) -> str:
    paths = _nodes(*case["paths"])
    missing = " or ".join(f"not({path})" for path in paths)
    return f"({_any(paths)}) and ({missing})"


def _if_then(case: dict) -> str:
    return f"{_expression(case['if'])} and not({_expression(case['then'])})"


def _evaluates_to_true(case: dict) -> str:
    return f"not({_expression(case['eval'])})"


def _only_one_of(case: dict) -> str:
    total = _total(_nodes(*case["paths"]))
    options = [
        f"({excluded} and {total} > 0) or (not({excluded}) and {total} != 1)"
        for excluded in _nodes(*case["excluded"])
    ]
    return " or ".join(f"({option})" for option in options) or "false()"


def _one_or_all(case: dict) -> str:
    return f"not({_nodes(case['one'])[0]})"


def _unique(case: dict) -> str:
    paths = _nodes(*case["paths"])
    total = _total(paths)
    if len(paths) == 2:
        first, second = paths
        distinct = (
            f"count({first}) = 1 and count({second}) = 1 and string({first}) != string({second})"
        )
        return f"{total} > 1 and not({distinct})"
    return f"{total} > 1"


def _startswith(case: dict) -> str:
    prefixes = case.get("prefix")
    if prefixes is None:
        prefixes = [case["start"]] if "start" in case else []
    elif isinstance(prefixes, str):
        prefixes = [prefixes]
    separator = case.get("separator", "")
    if prefixes == ["ORG-ID-PREFIX"] or not prefixes or len(case["paths"]) != 1:
        raise NotScreenable(case)
    if not isinstance(separator, str) or "'" in separator:
        raise NotScreenable(separator)
    path, first = _nodes(case["paths"][0], prefixes[0])
    starts = f"{first} and starts-with(string({path}), concat(string({first}), '{separator}'))"
    return f"{path} and not(count({path}) = 1 and {starts})"


def _sum_predicate(case: dict, *, allow_empty: bool) -> str:
    paths = _nodes(*case["paths"])
    target = float(case["sum"])
    if not target.is_integer() or abs(target) > 1e9:
        raise NotScreenable(case["sum"])
    total = " + ".join(f"sum({path})" for path in paths)
    plain = " and ".join(_plain_numbers(path) for path in paths)
    # Fewer than 1,000 plain values: the float sum is off by far less than 0.0001, the smallest
    # difference between two such decimal sums, so "equal" in floats is equal in decimals.
    passes = f"({total}) = {target!r} and {_total(paths)} <= 1000 and {plain}"
    return f"({_any(paths)}) and not({passes})" if allow_empty else f"not({passes})"


def _strict_sum(case: dict) -> str:
    return _sum_predicate(case, allow_empty=False)


def _sum(case: dict) -> str:
    return _sum_predicate(case, allow_empty=True)


def _dates(less, more) -> str:
    """Might the date at ``less`` be later than the one at ``more`` (``$today``: YYYYMMDD of now
    in UTC; a plain date is midnight UTC, so it is not after now when it is not after today)?"""
    less_now, more_now = less in NOW_TOKENS, more in NOW_TOKENS
    if less_now and more_now:
        return "false()"
    if more_now:
        (less,) = _nodes(less)
        return f"{less} and not({_is_date(less)} and {_ymd(less)} <= $today)"
    if less_now:
        (more,) = _nodes(more)
        return f"{more} and not({_is_date(more)} and {_ymd(more)} > $today)"
    less, more = _nodes(less, more)
    dated = f"{_is_date(less)} and {_is_date(more)}"
    return f"{less} and {more} and not({dated} and {_ymd(less)} <= {_ymd(more)})"


def _date_order(case: dict) -> str:
    return _dates(case["less"], case["more"])


def _time_limit(case: dict) -> str:
    start, end = case["start"], case["end"]
    if start in NOW_TOKENS or end in NOW_TOKENS:
        raise NotScreenable(case)
    start, end = _nodes(start, end)
    # An end before the same day one year after the start is at most 365 days after it.
    dated = f"{_is_date(start)} and {_is_date(end)}"
    return f"{start} and {end} and not({dated} and {_ymd(end)} < {_ymd(start)} + 10000)"


def _loop(case: dict) -> str:
    return _nodes(case["foreach"])[0]


XPATH_SCREENS: dict[str, Callable[[dict], str]] = {
    "atleast_one": _atleast_one,
    "no_more_than_one": _no_more_than_one,
    "dependent": _dependent,
    "if_then": _if_then,
    "evaluates_to_true": _evaluates_to_true,
    "only_one_of": _only_one_of,
    "one_or_all": _one_or_all,
    "unique": _unique,
    "startswith": _startswith,
    "strict_sum": _strict_sum,
    "sum": _sum,
    "date_order": _date_order,
    "time_limit": _time_limit,
    "loop": _loop,
}


# -- value screens: the paths a case reads, and a test of one value (might it fail?) -------------
def _regex_check(case: dict, *, should_match: bool) -> Callable:
    try:
        pattern = re.compile(case["regex"])
    except re.error as exc:
        raise RulesetError(f"invalid regex {case['regex']!r}: {exc}") from exc

    def check(text: str, _ids: dict, _now: datetime) -> bool:
        return bool(text) and (pattern.search(text) is not None) != should_match

    return check


def _range_check(case: dict) -> Callable:
    low = Decimal(str(case["min"])) if "min" in case else None
    high = Decimal(str(case["max"])) if "max" in case else None

    def check(text: str, _ids: dict, _now: datetime) -> bool:
        value = to_decimal(text)
        return (
            value is None
            or (low is not None and value < low)
            or (high is not None and value > high)
        )

    return check


def _spaced(text: str, _ids: dict, _now: datetime) -> bool:
    return text != text.strip()


def _percent(text: str, _ids: dict, _now: datetime) -> bool:
    return "%" in text


def _unknown_agency(text: str, id_sets: dict, _now: datetime) -> bool:
    return "-".join(text.split("-")[:2]) not in id_sets.get("ORG-ID-PREFIX", set())


def _future(text: str, _ids: dict, now: datetime) -> bool:
    when = parse_datetime(text)
    return when is not None and when > now


def _value_screen(rule_name: str, case: dict) -> tuple[list[str], Callable] | None:
    paths = case.get("paths", [])
    if rule_name in ("regex_matches", "regex_no_matches"):
        return paths, _regex_check(case, should_match=rule_name == "regex_matches")
    if rule_name == "no_spaces":
        return paths, _spaced
    if rule_name == "no_percent":
        return paths, _percent
    if rule_name == "range":
        return paths, _range_check(case)
    if rule_name == "startswith" and case.get("prefix") in (["ORG-ID-PREFIX"], "ORG-ID-PREFIX"):
        return paths, _unknown_agency
    if rule_name == "date_now" and case.get("date") not in (None, *NOW_TOKENS):
        return [case["date"]], _future
    return None


def _relative(path) -> bool:
    """A relative location path that ``(context)/path`` can follow (no union, no leading
    ``/``, ``(`` or variable) and that selects nodes."""
    if not isinstance(path, str):
        return False
    path = path.strip()
    return bool(path) and path[0] not in "/($" and "|" not in path and is_node_set(path)


# -- the plan of one context -------------------------------------------------------------------
Key = tuple[str, int]  # (rule name, index of the case in the rule's list)


@dataclass
class ContextScreens:
    """The screens of one context: ``predicate`` (one XPath for every case in ``screened``),
    ``values`` (per value XPath, the cases reading it and their tests) and ``unscreened``."""

    context: str
    predicate: etree.XPath | None = None
    screened: list[Key] = field(default_factory=list)
    #: Per screened case, its own predicate ``(CONTEXT)[p]``, evaluated only when the joined
    #: one selects something: one inexact screen then costs its own case's exact tests, not
    #: every case's.
    alone: dict[Key, tuple[etree.XPath, bool]] = field(default_factory=dict)
    #: Per loop case whose body has screens (such a loop is not in ``predicate``): the XPath
    #: of the loop's values over the whole document and the body's joined predicate, which
    #: reads the value as ``$iati_loop_value``.
    loops: dict[Key, tuple[etree.XPath, etree.XPath, bool]] = field(default_factory=dict)
    values: dict[str, tuple[etree.XPath, list[tuple[Key, Callable]]]] = field(default_factory=dict)
    unscreened: list[Key] = field(default_factory=list)
    uses_today: bool = False

    def _alone(self, key: Key, document, variables: dict) -> list | None:
        """The context elements ``key``'s own predicate selects (``None``: all of them, when
        XPath cannot evaluate it)."""
        xpath, uses_today = self.alone[key]
        try:
            found = xpath(document, **(variables if uses_today else {}))
        except etree.XPathEvalError:
            return None
        return [n for n in found if isinstance(n, etree._Element)]

    def _loop_body(self, key: Key, document, variables: dict) -> list | None:
        """The context elements where a loop case might fail: for each value the loop takes
        anywhere in the document, the elements that take it and that its body's screens
        select with it bound, as the exact engine binds it. When the values are too many to
        try one by one, every element that takes a value (``None``: XPath cannot evaluate)."""
        values_xpath, body, uses_today = self.loops[key]
        try:
            values = list(dict.fromkeys(text_of(v) for v in values_xpath(document)))
            if len(values) > LOOP_VALUES_LIMIT:
                return self._alone(key, document, variables)
            extra = variables if uses_today else {}
            chosen: dict = {}
            for value in values:
                chosen.update(dict.fromkeys(body(document, **{LOOP_VARIABLE: value}, **extra)))
        except etree.XPathEvalError:
            return None
        return [n for n in chosen if isinstance(n, etree._Element)]

    def candidates(self, document, *, id_sets: dict, now: datetime) -> dict[Key, list | None]:
        """Per case, the context elements to test exactly (``None``: all of them; a case
        missing from the result needs no test)."""
        chosen: dict[Key, list | None] = dict.fromkeys(self.unscreened)
        variables = {}
        if self.uses_today:
            variables["today"] = float(now.astimezone(UTC).strftime("%Y%m%d"))
        if self.predicate is not None:
            try:
                found = [
                    n
                    for n in self.predicate(document, **variables)
                    if isinstance(n, etree._Element)
                ]
            except etree.XPathEvalError:
                found = None
            if found:
                # Which cases selected: one inexact screen costs its own case's tests only.
                for key in self.screened:
                    chosen_elements = self._alone(key, document, variables)
                    if chosen_elements != []:
                        chosen[key] = chosen_elements
            elif found is None:
                chosen.update(dict.fromkeys(self.screened, None))
        for key in self.loops:
            chosen_elements = self._loop_body(key, document, variables)
            if chosen_elements != []:
                chosen[key] = chosen_elements
        for xpath, checks in self.values.values():
            try:
                found = xpath(document)
            except etree.XPathEvalError:
                chosen.update(dict.fromkeys((key for key, _check in checks), None))
                continue
            if not found:
                continue
            texts = [_STRING_VALUE(v) if isinstance(v, etree._Element) else str(v) for v in found]
            for key, check in checks:
                if any(check(text, id_sets, now) for text in texts):
                    chosen[key] = None
        return chosen


#: A loop taking more distinct values than this in one document is screened by its values'
#: presence alone (each value costs one XPath over the document).
LOOP_VALUES_LIMIT = 16

UNSCREENABLE = (NotScreenable, RulesetError, KeyError, TypeError, ValueError, ArithmeticError,
                etree.XPathSyntaxError)  # fmt: skip


def _loop_screen(context: str, case: dict) -> tuple[etree.XPath, etree.XPath, bool]:
    """A loop case's values XPath and its body's joined screen, for :meth:`ContextScreens.
    _loop_body`; :class:`NotScreenable` unless every case of the body has an XPath screen."""
    foreach = case["foreach"]
    if not _relative(foreach):
        raise NotScreenable(foreach)
    subs = list(case.get("subs", []))
    predicates = []
    for inner_name, body in case["do"].items():
        builder = XPATH_SCREENS.get(canonical_rule_name(inner_name))
        if builder is None or builder is _loop:
            raise NotScreenable(inner_name)
        for inner in body["cases"]:
            inner = _substitute(inner, subs)
            predicate = builder(inner)
            if "condition" in inner:
                predicate = f"{_expression(inner['condition'])} and ({predicate})"
            predicates.append(f"({predicate})")
    if not predicates:
        raise NotScreenable(case)
    joined = " or ".join(predicates)
    # Only the elements that take the value: the exact engine binds only those.
    takes = f"({foreach.strip()})[string(.) = ${LOOP_VARIABLE}]"
    values = etree.XPath(f"({context})/{foreach.strip()}", smart_strings=False)
    return values, etree.XPath(f"({context})[{takes} and ({joined})]"), "$today" in joined


def compile_context(context: str, rules: dict[str, list[dict]]) -> ContextScreens:
    """The screens of every case of ``context`` (``rules``: rule name -> cases)."""
    plan = ContextScreens(context)
    predicates: list[str] = []
    for rule_name, cases in rules.items():
        for index, case in enumerate(cases):
            key = (rule_name, index)
            try:
                values = _value_screen(rule_name, case) if rule_name != "loop" else None
                if values is not None:
                    paths, check = values
                    if not paths or not all(_relative(path) for path in paths):
                        raise NotScreenable(paths)
                    for path in paths:
                        expression = f"({context})/{path.strip()}"
                        xpath = etree.XPath(expression, smart_strings=False)
                        plan.values.setdefault(expression, (xpath, []))[1].append((key, check))
                    continue
                builder = XPATH_SCREENS.get(rule_name)
                if builder is None:
                    raise NotScreenable(rule_name)
                predicate = builder(case)
                if "condition" in case:
                    predicate = f"{_expression(case['condition'])} and ({predicate})"
                alone = etree.XPath(f"({context})[{predicate}]")  # compiles on its own
            except UNSCREENABLE:
                plan.unscreened.append(key)
                continue
            plan.alone[key] = (alone, "$today" in predicate)
            if rule_name == "loop":
                with contextlib.suppress(*UNSCREENABLE):
                    plan.loops[key] = _loop_screen(context, case)
                    plan.uses_today = plan.uses_today or plan.loops[key][2]
                    continue  # screened by its body, not in the joined predicate
            predicates.append(f"({predicate})")
            plan.screened.append(key)
    if predicates:
        joined = " or ".join(predicates)
        plan.predicate = etree.XPath(f"({context})[{joined}]")
        plan.uses_today = plan.uses_today or "$today" in joined
    return plan
