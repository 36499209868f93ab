"""A rule engine for IATI rulesets (IATI-Rulesets ``SPEC.rst``), run with IATI's Standard ruleset.

A ruleset is JSON: ``{context XPath: {rule name: {"cases": [case, ...]}}}``. For every element
the context XPath selects, every case of every rule is tested; a case whose ``condition`` (an
XPath) is false, or whose ``idCondition`` does not hold, is not applicable. A failing case
becomes a :class:`~compacts.iati.validation.findings.Finding` carrying the case's ``ruleInfo``
(IATI's rule id, severity, category and message).

Semantics follow the JS edition of the spec, which IATI's current validator implements (the
ruleset ``standard.json`` is written for it); the Python edition's names and keys used by the
ruleset meta tests are accepted too (``start`` for ``startswith``, ``TODAY`` for dates,
``dependent``, ``sum``, ``evaluates_to_true``, ``no_percent``). camelCase rule names
(``atLeastOne``) are accepted as aliases. Points where we follow IATI's validator literally:

- dates: the first node an XPath selects is used; a missing or unparsable date makes the case
  not applicable; ``NOW``/``TODAY`` is the current time;
- ``loop`` substitutes ``$1`` only in the keys its ``subs`` lists;
- ``regex_matches`` lets empty text pass;
- ``idCondition`` uses identifier sets (``ORG-ID``, ``ORG-ID-PREFIX``) that IATI's validator
  takes from the IATI Registry; offline we use the codelists shipped in the package (see
  :func:`default_id_sets`), and callers may pass their own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from compacts.iati.validation.findings import Finding, Severity, Source
from compacts.iati.xml import data_path

RULESET_DIR = data_path("rulesets")
STANDARD_RULESET = RULESET_DIR / "standard.json"

#: camelCase (JS edition) -> snake_case rule names.
RULE_ALIASES = {
    "noMoreThanOne": "no_more_than_one",
    "atLeastOne": "atleast_one",
    "onlyOneOf": "only_one_of",
    "oneOrAll": "one_or_all",
    "strictSum": "strict_sum",
    "dateOrder": "date_order",
    "dateNow": "date_now",
    "timeLimit": "time_limit",
    "betweenDates": "between_dates",
    "regexMatches": "regex_matches",
    "regexNoMatches": "regex_no_matches",
    "startsWith": "startswith",
    "ifThen": "if_then",
    "noSpaces": "no_spaces",
    "evaluatesToTrue": "evaluates_to_true",
    "noPercent": "no_percent",
}
NOW_TOKENS = ("NOW", "TODAY")
MAX_DETAILS = 5  # failing nodes described in one finding's context
IATI_SEVERITIES = {
    "critical": Severity.ERROR,
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.WARNING,
    "advisory": Severity.WARNING,
}

_DATE = re.compile(
    r"^\s*(-?\d{4,})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}:\d{2})?\s*$"
)


class RulesetError(ValueError):
    """The ruleset itself is malformed (unknown rule, bad XPath, missing key)."""


# ---------------------------------------------------------------------------------------------
# XPath helpers


LOOP_VARIABLE = "iati_loop_value"
_LOOP_PLACEHOLDER = re.compile(r"'\$1'|\"\$1\"|\$1")


@lru_cache(maxsize=4096)
def _compiled(expression: str) -> etree.XPath:
    try:
        return etree.XPath(expression)
    except etree.XPathSyntaxError as exc:
        raise RulesetError(f"invalid XPath {expression!r}: {exc}") from exc


def xpath(expression: str, node: etree._Element, variables: dict | None = None) -> Any:
    """Evaluate ``expression`` on ``node`` (compiled once per expression)."""
    try:
        return _compiled(expression)(node, **(variables or {}))
    except etree.XPathEvalError as exc:
        raise RulesetError(f"cannot evaluate XPath {expression!r}: {exc}") from exc


def truthy(value: Any) -> bool:
    """XPath ``boolean()`` of an XPath result: non-empty node-set, non-zero number..."""
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return bool(value)


_STRING_VALUE = etree.XPath("string()", smart_strings=False)


def text_of(match: Any) -> str:
    """The text of a selected node: an element's string value (all its text, like the DOM's
    ``textContent``), an attribute's value, or a text node / string result itself."""
    if isinstance(match, etree._Element):
        return _STRING_VALUE(match)
    return str(match)


def memo_xpath(memo: dict, expression: str, node: etree._Element, variables: dict | None) -> Any:
    """:func:`xpath`, remembered for one document: the Standard ruleset asks the same question
    of the same node many times (``@ref`` of each organisation, ``narrative`` of each
    element...). The key holds the node, so lxml keeps returning the same proxy for it."""
    key = (expression, node, variables.get(LOOP_VARIABLE) if variables else None)
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = xpath(expression, node, variables)
        return value


def line_of(match: Any) -> int | None:
    if isinstance(match, etree._Element):
        return match.sourceline
    parent = getattr(match, "getparent", None)
    owner = parent() if parent else None
    return owner.sourceline if owner is not None else None


def parse_datetime(text: str | None) -> datetime | None:
    """An xs:date / xs:dateTime as an aware datetime (UTC when no zone); ``None`` if invalid."""
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        tz = UTC
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            micro, tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        return None


def to_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class RuleResult:
    """The outcome of one case on one context element.

    ``result`` is ``True`` (passed), ``False`` (failed) or ``None`` (not applicable)."""

    context: str
    element: etree._Element
    rule: str
    case: dict
    result: bool | None
    detail: str | None = None
    line: int | None = None

    @property
    def rule_info(self) -> dict:
        return self.case.get("ruleInfo") or {}

    @property
    def failed(self) -> bool:
        return self.result is False


@dataclass
class _Evaluation:
    """State shared by the rule functions while testing one case on one element."""

    element: etree._Element
    case: dict
    id_sets: dict[str, set[str]]
    now: datetime
    variables: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)
    matches: list = field(default_factory=list)
    groups: list[list] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    line: int | None = None

    def __post_init__(self) -> None:
        if "paths" in self.case:
            self.groups = [_as_list(self.xpath(path)) for path in self.case["paths"]]
            self.matches = [match for group in self.groups for match in group]

    def xpath(self, expression: str, node: etree._Element | None = None) -> Any:
        node = self.element if node is None else node
        return memo_xpath(self.memo, expression, node, self.variables)

    @property
    def texts(self) -> list[str]:
        return [text_of(match) for match in self.matches]

    def fail_at(self, match: Any, detail: str) -> bool:
        """Record why the case fails (the first failing node gives the finding's line)."""
        self.line = self.line or line_of(match)
        self.details.append(detail)
        return False

    @property
    def detail(self) -> str | None:
        if not self.details:
            return None
        shown = "; ".join(self.details[:MAX_DETAILS])
        more = len(self.details) - MAX_DETAILS
        return f"{shown}; and {more} more" if more > 0 else shown

    def date(self, key: str) -> tuple[datetime | None, Any]:
        expression = self.case.get(key)
        if expression is None:
            return None, None
        if expression in NOW_TOKENS:
            return self.now, None
        found = _as_list(self.xpath(expression))
        if not found:
            return None, None
        return parse_datetime(text_of(found[0])), found[0]


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, bool | float) or value is None:
        return []
    return [value] if value != "" else []


# ---------------------------------------------------------------------------------------------
# Rule types. Each returns True / False, or None when the case does not apply.

RULES: dict[str, Callable[[_Evaluation], bool | None]] = {}


def rule(name: str):
    def register(function):
        RULES[name] = function
        return function

    return register


@rule("atleast_one")
def _atleast_one(ev: _Evaluation) -> bool:
    """At least one node matches ``paths``."""
    return len(ev.matches) >= 1


@rule("no_more_than_one")
def _no_more_than_one(ev: _Evaluation) -> bool:
    """No more than one node matches ``paths``."""
    if len(ev.matches) <= 1:
        return True
    return ev.fail_at(ev.matches[1], f"{len(ev.matches)} found")


@rule("only_one_of")
def _only_one_of(ev: _Evaluation) -> bool:
    """If an ``excluded`` path matches, ``paths`` must not; otherwise exactly one must."""
    for excluded in ev.case["excluded"]:
        if _as_list(ev.xpath(excluded)):
            if ev.matches:
                return ev.fail_at(ev.matches[0], f"not allowed together with {excluded}")
        elif len(ev.matches) != 1:
            return ev.fail_at(ev.element, f"{len(ev.matches)} found, exactly one expected")
    return True


_ONE_OR_ALL = {
    "lang": ("descendant::narrative", "@xml:lang"),
    "sector": ("transaction", "sector"),
    "recipient-country|recipient-region": (
        "transaction",
        "recipient-country|recipient-region",
    ),
    "currency": (
        "descendant::value|descendant::forecast|descendant::loan-status",
        "@currency",
    ),
}


@rule("one_or_all")
def _one_or_all(ev: _Evaluation) -> bool:
    """``one`` exists, or every element concerned has what ``all`` names (a language on each
    narrative, a sector on each transaction, a currency on each monetary value...)."""
    if _as_list(ev.xpath(ev.case["one"])):
        return True
    spec = _ONE_OR_ALL.get(ev.case["all"])
    if spec is None:
        return True
    each, needs = spec
    result = True
    for node in _as_list(ev.xpath(each)):
        if not _as_list(ev.xpath(needs, node)):
            result = ev.fail_at(node, f"<{node.tag}> at line {node.sourceline} lacks {needs}")
    return result


@rule("dependent")
def _dependent(ev: _Evaluation) -> bool:
    """If one of ``paths`` exists, they all must."""
    present = [bool(group) for group in ev.groups]
    return all(present) or not any(present)


def _sum_matches(ev: _Evaluation) -> Decimal | None:
    total = Decimal(0)
    for match in ev.matches:
        value = to_decimal(text_of(match))
        if value is None:
            ev.fail_at(match, f"{text_of(match)!r} is not a number")
            return None
        total += value
    return total


@rule("strict_sum")
def _strict_sum(ev: _Evaluation) -> bool:
    """The values matched by ``paths`` add up to ``sum`` exactly (decimal arithmetic)."""
    total = _sum_matches(ev)
    if total is None:
        return False
    if total == Decimal(str(ev.case["sum"])):
        return True
    where = ev.matches[0] if ev.matches else ev.element
    return ev.fail_at(where, f"the sum is {total.normalize():f}, expected {ev.case['sum']}")


@rule("sum")
def _sum(ev: _Evaluation) -> bool:
    """Like ``strict_sum``, but passes when nothing matches."""
    return not ev.matches or _strict_sum(ev)


@rule("date_order")
def _date_order(ev: _Evaluation) -> bool | None:
    """The date at ``less`` is not after the date at ``more`` (``NOW`` = the current time)."""
    less, less_node = ev.date("less")
    more, _ = ev.date("more")
    if less is None or more is None:
        return None
    if less <= more:
        return True
    return ev.fail_at(
        less_node if less_node is not None else ev.element,
        f"{ev.case['less']} = {less.date().isoformat()} is later than "
        f"{ev.case['more']} = {more.date().isoformat()}",
    )


@rule("date_now")
def _date_now(ev: _Evaluation) -> bool | None:
    """The date at ``date`` is not in the future."""
    when, node = ev.date("date")
    if when is None:
        return None
    if when <= ev.now:
        return True
    return ev.fail_at(node, f"{when.isoformat()} is in the future")


@rule("time_limit")
def _time_limit(ev: _Evaluation) -> bool | None:
    """``end`` is no more than a year (365 days) after ``start``."""
    start, _ = ev.date("start")
    end, end_node = ev.date("end")
    if start is None or end is None:
        return None
    days = (end - start) // timedelta(days=1)
    if days <= 365:
        return True
    return ev.fail_at(end_node, f"the period is {days} days long")


@rule("between_dates")
def _between_dates(ev: _Evaluation) -> bool | None:
    """The date at ``date`` lies between ``start`` and ``end`` (inclusive)."""
    when, node = ev.date("date")
    start, _ = ev.date("start")
    end, _ = ev.date("end")
    if when is None or start is None or end is None:
        return None
    if start <= when <= end:
        return True
    return ev.fail_at(
        node,
        f"{when.date().isoformat()} is outside {start.date().isoformat()} "
        f"to {end.date().isoformat()}",
    )


def _regex(ev: _Evaluation, *, should_match: bool) -> bool:
    try:
        pattern = re.compile(ev.case["regex"])
    except re.error as exc:
        raise RulesetError(f"invalid regex {ev.case['regex']!r}: {exc}") from exc
    result = True
    for match in ev.matches:
        text = text_of(match)
        if text and (pattern.search(text) is not None) != should_match:
            result = ev.fail_at(match, f"{text!r}")
    return result


@rule("regex_matches")
def _regex_matches(ev: _Evaluation) -> bool:
    """Every (non-empty) text matched by ``paths`` matches ``regex``."""
    return _regex(ev, should_match=True)


@rule("regex_no_matches")
def _regex_no_matches(ev: _Evaluation) -> bool:
    """No (non-empty) text matched by ``paths`` matches ``regex``."""
    return _regex(ev, should_match=False)


@rule("startswith")
def _startswith(ev: _Evaluation) -> bool:
    """Every text matched by ``paths`` starts with one of the ``prefix`` texts (JS edition;
    ``start`` in the Python edition), followed by ``separator``. The prefix ``ORG-ID-PREFIX``
    means: the first two hyphen-separated parts are a known registration agency."""
    prefixes = ev.case.get("prefix")
    if prefixes is None:
        prefixes = [ev.case["start"]] if "start" in ev.case else []
    elif isinstance(prefixes, str):
        prefixes = [prefixes]
    result = True
    if prefixes == ["ORG-ID-PREFIX"]:
        agencies = ev.id_sets.get("ORG-ID-PREFIX", set())
        for match in ev.matches:
            text = text_of(match)
            if "-".join(text.split("-")[:2]) not in agencies:
                result = ev.fail_at(match, f"{text!r} has no known agency prefix")
        return result
    starts = [text_of(node) for path in prefixes for node in _as_list(ev.xpath(path))]
    separator = ev.case.get("separator", "")
    for match in ev.matches:
        text = text_of(match)
        if not any(text.startswith(start + separator) for start in starts):
            result = ev.fail_at(match, f"{text!r} does not start with {' or '.join(starts)!r}")
    return result


@rule("unique")
def _unique(ev: _Evaluation) -> bool:
    """The texts matched by ``paths`` are all different."""
    seen: set[str] = set()
    result = True
    for match in ev.matches:
        text = text_of(match)
        if text in seen:
            result = ev.fail_at(match, f"{text!r} appears more than once")
        seen.add(text)
    return result


@rule("if_then")
def _if_then(ev: _Evaluation) -> bool:
    """If the XPath ``if`` is true, the XPath ``then`` must be true too."""
    if not truthy(ev.xpath(ev.case["if"])):
        return True
    if truthy(ev.xpath(ev.case["then"])):
        return True
    return ev.fail_at(ev.matches[0] if ev.matches else ev.element, f"{ev.case['then']} is false")


@rule("range")
def _range(ev: _Evaluation) -> bool:
    """Every number matched by ``paths`` lies within ``min`` and ``max`` (each optional)."""
    low = Decimal(str(ev.case["min"])) if "min" in ev.case else None
    high = Decimal(str(ev.case["max"])) if "max" in ev.case else None
    result = True
    for match in ev.matches:
        value = to_decimal(text_of(match))
        if (
            value is None
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            result = ev.fail_at(match, f"{text_of(match)!r}")
    return result


@rule("no_spaces")
def _no_spaces(ev: _Evaluation) -> bool:
    """No text matched by ``paths`` starts or ends with white space."""
    result = True
    for match in ev.matches:
        text = text_of(match)
        if text != text.strip():
            result = ev.fail_at(match, f"{text!r}")
    return result


@rule("evaluates_to_true")
def _evaluates_to_true(ev: _Evaluation) -> bool:
    """The XPath ``eval`` is true (Python edition)."""
    return truthy(ev.xpath(ev.case["eval"]))


@rule("no_percent")
def _no_percent(ev: _Evaluation) -> bool:
    """No text matched by ``paths`` contains a percent sign (Python edition)."""
    return all("%" not in text for text in ev.texts)


# ---------------------------------------------------------------------------------------------
# Ruleset


def canonical_rule_name(name: str) -> str:
    name = RULE_ALIASES.get(name, name)
    if name != "loop" and name not in RULES:
        raise RulesetError(f"unknown rule type {name!r}")
    return name


def _substitute(case: dict, keys: list[str]) -> dict:
    """The loop's ``$1`` in the keys ``subs`` lists becomes an XPath variable bound to the
    current value: the same meaning as IATI's textual substitution, but a value taken from the
    document (a quote, a bracket...) can never change the expression."""
    substituted = dict(case)
    variable = f"${LOOP_VARIABLE}"
    for key in keys:
        if key not in case:
            continue
        original = case[key]
        if isinstance(original, str):
            substituted[key] = _LOOP_PLACEHOLDER.sub(variable, original)
        else:
            substituted[key] = [_LOOP_PLACEHOLDER.sub(variable, item) for item in original]
    return substituted


@dataclass
class Ruleset:
    """A parsed ruleset: ``{context XPath: {rule name: [case, ...]}}``."""

    contexts: dict[str, dict[str, list[dict]]]
    name: str = "ruleset"
    _substitutions: dict = field(default_factory=dict, repr=False, compare=False)
    _screens: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict, *, name: str = "ruleset") -> Ruleset:
        if not isinstance(data, dict):
            raise RulesetError(f"{name}: a ruleset is a JSON object")
        contexts: dict[str, dict[str, list[dict]]] = {}
        for context, rules in data.items():
            _compiled(context)
            contexts[context] = {}
            for rule_name, body in rules.items():
                canonical = canonical_rule_name(rule_name)
                cases = body.get("cases") if isinstance(body, dict) else None
                if not isinstance(cases, list):
                    raise RulesetError(f"{name}: {context} / {rule_name} has no list of cases")
                if canonical == "loop":
                    for case in cases:
                        for inner in case.get("do", {}):
                            canonical_rule_name(inner)
                contexts[context].setdefault(canonical, []).extend(cases)
        return cls(contexts=contexts, name=name)

    @classmethod
    def from_file(cls, path: str | Path) -> Ruleset:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise RulesetError(f"{path}: cannot read the ruleset ({exc})") from exc
        return cls.from_dict(data, name=path.stem)

    def rule_types(self) -> set[str]:
        """Every rule type the ruleset uses, including those inside loops."""
        types = set()
        for rules in self.contexts.values():
            for rule_name, cases in rules.items():
                types.add(rule_name)
                if rule_name == "loop":
                    for case in cases:
                        types.update(canonical_rule_name(inner) for inner in case["do"])
        return types

    def results(
        self,
        document: etree._ElementTree | etree._Element,
        *,
        id_sets: dict[str, set[str]] | None = None,
        now: datetime | None = None,
    ) -> Iterator[RuleResult]:
        """Test every case on every context element; yield one result per test."""
        id_sets = default_id_sets() if id_sets is None else id_sets
        now = now or datetime.now(UTC)
        memo: dict = {}
        for context, rules in self.contexts.items():
            for element in _as_list(xpath(context, document)):
                if not isinstance(element, etree._Element):
                    continue
                for rule_name, cases in rules.items():
                    for case in cases:
                        yield from self._tests(
                            context, element, rule_name, case, id_sets, now, memo
                        )

    def _tests(self, context, element, rule_name, case, id_sets, now, memo) -> Iterator[RuleResult]:
        """The results of one case on one element: one, or one per value of a loop."""
        if rule_name == "loop":
            return self._loop(context, element, case, id_sets, now, memo)
        return iter([_test(context, element, rule_name, case, id_sets, now, memo)])

    def _loop(self, context, element, case, id_sets, now, memo) -> Iterator[RuleResult]:
        found = _as_list(memo_xpath(memo, case["foreach"], element, None))
        values = list(dict.fromkeys(text_of(v) for v in found))
        for inner_name, body in case["do"].items():
            inner = canonical_rule_name(inner_name)
            for inner_case in body["cases"]:
                substituted = self._substituted(inner_case, tuple(case.get("subs", [])))
                for value in values:
                    variables = {LOOP_VARIABLE: value}
                    yield _test(context, element, inner, substituted, id_sets, now, memo, variables)

    def _substituted(self, case: dict, subs: tuple[str, ...]) -> dict:
        """The loop case with its ``$1`` bound to a variable, prepared once per ruleset."""
        key = (id(case), subs)
        if key not in self._substitutions:
            self._substitutions[key] = (case, _substitute(case, list(subs)))
        return self._substitutions[key][1]

    def failures(
        self,
        document: etree._ElementTree | etree._Element,
        *,
        id_sets: dict[str, set[str]] | None = None,
        now: datetime | None = None,
    ) -> list[RuleResult]:
        """The failed results of :meth:`results`, the same ones in the same order, found
        quickly: the screens of each context (:mod:`compacts.iati.validation.screens`) pick,
        in a few XPath calls over the whole document, where a case might fail, and only there
        is it tested case by case."""
        id_sets = default_id_sets() if id_sets is None else id_sets
        now = now or datetime.now(UTC)
        memo: dict = {}
        failed: list[tuple[tuple, RuleResult]] = []
        for c_index, (context, rules) in enumerate(self.contexts.items()):
            chosen = self._screens_of(context).candidates(document, id_sets=id_sets, now=now)
            if not chosen:
                continue
            elements = [
                e for e in _as_list(xpath(context, document)) if isinstance(e, etree._Element)
            ]
            positions = {element: i for i, element in enumerate(elements)}
            for r_index, (rule_name, cases) in enumerate(rules.items()):
                for k_index, case in enumerate(cases):
                    if (rule_name, k_index) not in chosen:
                        continue
                    candidates = chosen[rule_name, k_index]
                    for element in elements if candidates is None else candidates:
                        tested = self._tests(context, element, rule_name, case, id_sets, now, memo)
                        for seq, result in enumerate(tested):
                            if result.failed:
                                key = (c_index, positions[element], r_index, k_index, seq)
                                failed.append((key, result))
        failed.sort(key=lambda pair: pair[0])
        return [result for _key, result in failed]

    def _screens_of(self, context: str):
        """The compiled screens of ``context``, made once per ruleset."""
        from compacts.iati.validation.screens import compile_context

        if context not in self._screens:
            self._screens[context] = compile_context(context, self.contexts[context])
        return self._screens[context]

    def is_valid(self, document, **kwargs) -> bool:
        """Meta-test semantics: no applicable case failed."""
        return not any(result.failed for result in self.results(document, **kwargs))


def _test(context, element, rule_name, case, id_sets, now, memo, variables=None) -> RuleResult:
    result = RuleResult(context=context, element=element, rule=rule_name, case=case, result=None)
    if "condition" in case and not truthy(memo_xpath(memo, case["condition"], element, variables)):
        return result
    evaluation = _Evaluation(
        element=element, case=case, id_sets=id_sets, now=now, variables=variables or {}, memo=memo
    )
    if "idCondition" in case and not _id_condition(case["idCondition"], evaluation):
        return result
    try:
        outcome = RULES[rule_name](evaluation)
    except KeyError as exc:
        raise RulesetError(f"{context} / {rule_name}: the case lacks the key {exc}") from exc
    result.result = outcome
    result.detail = evaluation.detail
    result.line = evaluation.line or element.sourceline
    return result


def _id_condition(name: str, ev: _Evaluation) -> bool:
    known = ev.id_sets.get("ORG-ID", set())
    if name == "NOT_EXISTING_ORG_ID":
        return all(text not in known for text in ev.texts)
    if name == "NOT_EXISTING_ORG_ID_PREFIX":
        return not any(_has_known_prefix(text, known) for text in ev.texts)
    raise RulesetError(f"unknown idCondition {name!r}")


def _has_known_prefix(text: str, known) -> bool:
    """Whether ``text`` is ``<a known organisation id>-<anything>``."""
    position = text.find("-")
    while position != -1:
        if text[:position] in known:
            return True
        position = text.find("-", position + 1)
    return False


@cache
def default_id_sets() -> dict[str, frozenset[str]]:
    """Offline stand-ins for the identifier sets IATI's validator fetches from the Registry:
    ``ORG-ID-PREFIX`` = the OrganisationRegistrationAgency codes (``XM-DAC``, ``GB-COH``...);
    ``ORG-ID`` = the organisation identifiers of the OrganisationIdentifier and
    IATIOrganisationIdentifier codelists."""
    from compacts.iati.validation.codelists import codelists

    lists = codelists()
    org_ids = set(lists["OrganisationIdentifier"].codes) | set(
        lists["IATIOrganisationIdentifier"].codes
    )
    return {
        "ORG-ID-PREFIX": frozenset(lists["OrganisationRegistrationAgency"].codes),
        "ORG-ID": frozenset(org_ids),
    }


@cache
def standard_ruleset() -> Ruleset:
    """IATI's Standard ruleset (``standard.json``), parsed once per process."""
    return Ruleset.from_file(STANDARD_RULESET)


def validate_rules(
    document: etree._ElementTree | etree._Element,
    *,
    ruleset: Ruleset | None = None,
    id_sets: dict[str, set[str]] | None = None,
    now: datetime | date | None = None,
    locate=None,
) -> list[Finding]:
    """Findings for every failed case, with IATI's rule id, severity, category and message."""
    ruleset = ruleset or standard_ruleset()
    if isinstance(now, date) and not isinstance(now, datetime):
        now = datetime(now.year, now.month, now.day, 23, 59, 59, tzinfo=UTC)
    findings = []
    for result in ruleset.failures(document, id_sets=id_sets, now=now):
        info = result.rule_info
        line = result.line
        findings.append(
            Finding(
                severity=IATI_SEVERITIES.get(info.get("severity", "error"), Severity.ERROR),
                source=Source.RULE,
                rule_id=info.get("id") or result.rule,
                message=info.get("message") or f"{result.rule} failed",
                line=line,
                activity=locate(line) if locate and line else None,
                path=result.context,
                category=info.get("category"),
                context=result.detail,
            )
        )
    return findings
