"""Plain data that the element functions turn into IATI XML.

``compacts.iati.export.source`` reads the fund, programmes, ledger and results through the other
apps' selectors and fills these dataclasses; the element functions (``elements/``) never touch
the database, so they can be tested with hand-built values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Texts = dict[str, str]  # text by language code ("en", "fr"...); the default language first


@dataclass
class Org:
    ref: str = ""
    name: Texts = field(default_factory=dict)
    type: str = ""
    activity_id: str = ""


@dataclass
class ParticipatingOrg(Org):
    role: str = ""  # OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing


@dataclass
class Percentage:
    code: str
    percentage: Decimal | None = None
    vocabulary: str = ""
    vocabulary_uri: str = ""
    name: Texts = field(default_factory=dict)


@dataclass
class PolicyMarker:
    code: str
    vocabulary: str = "1"
    significance: str = ""
    vocabulary_uri: str = ""
    name: Texts = field(default_factory=dict)


@dataclass
class Budget:
    start: datetime.date
    end: datetime.date
    value: Decimal
    currency: str
    value_date: datetime.date
    type: str = "1"  # original
    status: str = "1"  # indicative; 2 committed


@dataclass
class Transaction:
    # TransactionType: 11 incoming commitment, 1 incoming funds (deposits, refunds), 3 disbursement,
    # 4 expenditure
    type: str
    date: datetime.date
    value: Decimal
    currency: str
    value_date: datetime.date
    ref: str = ""
    description: Texts = field(default_factory=dict)
    provider: Org | None = None
    receiver: Org | None = None


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    target: Decimal | None = None
    actual: Decimal | None = None


@dataclass
class Indicator:
    title: Texts
    measure: str = "1"  # unit
    ref: str = ""
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    periods: list[Period] = field(default_factory=list)


@dataclass
class Result:
    type: str  # ResultType: 1 output, 2 outcome
    title: Texts
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class DocumentLink:
    url: str
    title: Texts
    format: str = "text/html"
    category: str = "A12"  # activity web page
    language: str = ""
    date: datetime.date | None = None


@dataclass
class Description:
    type: str  # DescriptionType: 1 general, 2 objectives, 3 target groups, 4 other
    text: Texts


@dataclass
class Activity:
    """One ``iati-activity``: the fund (hierarchy 1) or a joint programme (hierarchy 2)."""

    identifier: str
    reporting_org: Org
    last_updated: datetime.datetime
    title: Texts
    hierarchy: str = "1"
    language: str = "en"
    default_currency: str = "USD"
    descriptions: list[Description] = field(default_factory=list)
    participating_orgs: list[ParticipatingOrg] = field(default_factory=list)
    status: str = "2"
    dates: list[tuple[str, datetime.date]] = field(default_factory=list)  # (ActivityDateType, date)
    scope: str = ""
    countries: list[Percentage] = field(default_factory=list)
    regions: list[Percentage] = field(default_factory=list)
    sectors: list[Percentage] = field(default_factory=list)
    tags: list[Percentage] = field(default_factory=list)
    policy_markers: list[PolicyMarker] = field(default_factory=list)
    collaboration_type: str = ""
    default_flow_type: str = ""
    default_finance_type: str = ""
    default_aid_type: str = ""
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    document_links: list[DocumentLink] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)  # (RelatedActivityType, ref)
    results: list[Result] = field(default_factory=list)
    is_illustrative: bool = False


@dataclass
class OrgBudget:
    start: datetime.date
    end: datetime.date
    value: Decimal
    currency: str
    value_date: datetime.date
    recipient: Org | None = None


@dataclass
class Organisation:
    """The ``iati-organisation`` record of the fund's reporting organisation."""

    identifier: str
    name: Texts
    reporting_org: Org
    last_updated: datetime.datetime
    language: str = "en"
    default_currency: str = "USD"
    total_budgets: list[OrgBudget] = field(default_factory=list)
    recipient_org_budgets: list[OrgBudget] = field(default_factory=list)
    total_expenditure: list[OrgBudget] = field(default_factory=list)
    document_links: list[DocumentLink] = field(default_factory=list)
