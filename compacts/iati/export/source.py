"""Read the fund, its programmes, the ledger and the results framework (through the other apps'
selectors) into :mod:`compacts.iati.export.model` values.

Everything that is a choice of the platform, not a fact of the standard, is named here:

- programme states -> ActivityStatus: the pipeline (endorsed ... approved) is ``1``, ``active``
  is ``2``, operationally closed ``3``, financially closed ``4``; concept notes before
  endorsement are not published;
- the ledger -> TransactionType: commitments ``11`` and deposits ``1`` (on the fund, from the
  donor), transfers ``3`` (on the programme the tranche belongs to, to the participating
  organisation), expenditure ``4`` (on the programme, by the participating organisation),
  refunds from participating organisations ``1`` incoming funds (on the fund, which receives
  the money back; provider the organisation with the programme's activity id): TransactionType
  defines 1 as "funds received for use on the activity, which can be from an external or
  internal source", while 7 (reimbursement) is an outgoing disbursement; amounts are the
  fund's ledger lines, so reversals appear as negative transactions;
- the MPTF 0-3 marker scale -> PolicySignificance for the gender marker (DAC code 1): 0 and 1
  -> 0 (not targeted), 2 -> 1 (significant), 3 -> 2 (principal). The human-rights and
  child-sensitivity markers have no DAC code: they are published in vocabulary 99;
- sector: DAC 15190 (facilitation of orderly, safe, regular and responsible migration and
  mobility), 100%;
- tags: SDG targets (vocabulary 3) and GCM objectives (vocabulary 99, vocabulary-uri the GCM).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from compacts.iati.export import model as m

FUND_DESCRIPTION = gettext_noop(
    "%(fund)s: a pooled fund administered on the compacts platform. Its joint programmes are "
    "published as child activities of this one."
)
PROGRAMME_DESCRIPTION = gettext_noop("Joint programme %(code)s of the %(fund)s, in %(where)s.")
WORLD = gettext_noop("World")
GCM_URI = "https://undocs.org/A/RES/73/195"
MARKERS_URI = "https://mptf.undp.org/fund/mig00"
MIGRATION_SECTOR = "15190"
LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "zh-hans": "zh", "ru": "ru"}
PUBLISHED_STATES = {
    "endorsed": "1",
    "invited": "1",
    "document-submitted": "1",
    "technical-review": "1",
    "approved": "1",
    "active": "2",
    "operationally-closed": "3",
    "financially-closed": "4",
}
GENDER_SIGNIFICANCE = {0: "0", 1: "0", 2: "1", 3: "2"}
# (kind, account, sign): the line whose amount is the transaction's value.
LEDGER_TYPES = {
    "commitment": ("11", "contributions", -1),
    "deposit": ("1", "cash", 1),
    "transfer": ("3", "transfers", 1),
    "expenditure": ("4", "po-expenditure", 1),
    "refund": ("1", "cash", 1),
}
FUND_KINDS = ["commitment", "deposit", "transfer", "expenditure", "refund"]
SCOPES = {"national": "4", "multi-country": "3", "regional": "2", "global": "1"}
FORBIDDEN = str.maketrans({"/": "-", "&": "-", "|": "-", "?": "-", " ": "-"})


def safe_id(text: str) -> str:
    """An identifier without the symbols IATI's rule 1.3.13 forbids."""
    return text.strip().translate(FORBIDDEN)


def _texts(default: str, names: dict | None, language: str = "en") -> m.Texts:
    """``{language: text}`` with the default language first; other languages from ``names``."""
    texts = {language: default}
    for code, text in (names or {}).items():
        iati = LANGUAGES.get(str(code).lower())
        if iati and iati != language and text:
            texts[iati] = text
    return texts


def _translated(message: str, params: dict, language: str = "en") -> m.Texts:
    """A platform sentence in the six languages (from the iati app's catalogues)."""
    texts = {}
    for django_code, iati in LANGUAGES.items():
        with translation.override(django_code):
            texts[iati] = _(message) % params
    return {language: texts.pop(language), **texts}


def split_percentages(count: int) -> list[Decimal]:
    """``count`` percentages of two places that sum to exactly 100 (IATI rule 3.1.2)."""
    if count <= 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    values = [share] * count
    values[-1] = Decimal(100) - share * (count - 1)
    return values


class Source:
    """Everything the export needs about one fund, read once per run (small, fund-level data),
    while programmes are read and yielded one at a time."""

    def __init__(self, *, fund, publisher, today: datetime.date | None = None):
        from compacts.fund.selectors import fund_participant_list, posting_list

        self.fund = fund
        self.publisher = publisher
        self.language = publisher.default_language or "en"
        self.today = today or timezone.localdate()
        self.reporting_org = m.Org(
            ref=publisher.reporting_org_ref,
            name={self.language: publisher.reporting_org_name},
            type=publisher.reporting_org_type,
        )
        self.fund_identifier = f"{safe_id(publisher.prefix)}-{safe_id(fund.code)}"
        self.participants = [p.organisation for p in fund_participant_list(fund=fund)]
        self._postings = posting_list(fund=fund)
        self.skipped: list[dict] = []
        self._donors: list | None = None

    # -- organisations ---------------------------------------------------------------------
    def org(self, organisation, *, activity_id: str = "") -> m.Org:
        ref = safe_id(organisation.iati_identifier) if organisation.iati_identifier else ""
        return m.Org(
            ref=ref,
            name=_texts(organisation.name, getattr(organisation, "names", None), self.language),
            type=organisation.iati_type or "",
            activity_id=activity_id,
        )

    def fund_org(self) -> m.Org:
        return m.Org(
            ref=self.reporting_org.ref,
            name={self.language: self.fund.name},
            type=self.reporting_org.type,
            activity_id=self.fund_identifier,
        )

    def donors(self) -> list:
        """The organisations with a commitment or deposit, by name: read once per run (every
        activity lists them), without loading the postings themselves."""
        if self._donors is None:
            from compacts.actors.models import Organisation

            donor_ids = (
                self._postings.filter(kind__in=["commitment", "deposit"], donor__isnull=False)
                .order_by()
                .values("donor_id")
            )
            self._donors = sorted(
                Organisation.objects.filter(pk__in=donor_ids), key=lambda o: o.name
            )
        return self._donors

    def programme_identifier(self, programme) -> str:
        return f"{safe_id(self.publisher.prefix)}-{safe_id(programme.code)}"

    # -- the ledger --------------------------------------------------------------------------
    def _value(self, posting) -> tuple[Decimal, str] | None:
        _type, account, sign = LEDGER_TYPES[posting.kind]
        total, currency = Decimal(0), self.fund.currency
        found = False
        for line in posting.lines.all():
            if line.account.code == account:
                total += line.amount
                currency = line.currency
                found = True
        return (total * sign, currency) if found and total else None

    def transaction(self, posting, *, programme_id: str = "") -> m.Transaction | None:
        """The IATI transaction of one posting, or ``None`` (future-dated: not published yet)."""
        if posting.value_date > self.today:
            self.skipped.append({"posting": posting.pk, "reason": "value date in the future"})
            return None
        value = self._value(posting)
        if value is None:
            return None
        kind = posting.kind
        tx_type = LEDGER_TYPES[kind][0]
        provider = receiver = None
        if kind in ("commitment", "deposit"):
            provider = self.org(posting.donor) if posting.donor_id else None
            receiver = self.fund_org()
        elif kind == "transfer":
            provider = self.fund_org()
            receiver = self.org(posting.organisation, activity_id=programme_id)
        elif kind == "expenditure" and posting.organisation_id:
            provider = self.org(posting.organisation, activity_id=programme_id)
        elif kind == "refund":
            if posting.organisation_id:
                provider = self.org(posting.organisation, activity_id=programme_id)
            receiver = self.fund_org()
        description = {self.language: posting.description} if posting.description else {}
        return m.Transaction(
            type=tx_type,
            ref=f"{self.fund_identifier}-P{posting.pk}",
            date=posting.value_date,
            value=value[0],
            currency=value[1],
            value_date=posting.value_date,
            description=description,
            provider=provider,
            receiver=receiver,
        )

    def allocation_programmes(self) -> dict[int, int]:
        """allocation id -> programme id, from the programmes' tranches and allocation sources."""
        from compacts.fund.models import Allocation
        from compacts.programmes.models import Tranche

        found = dict(
            Tranche.objects.filter(programme__fund=self.fund).values_list(
                "allocation_id", "programme_id"
            )
        )
        for pk, _source_type, source_id in Allocation.objects.filter(
            fund=self.fund, source_type__in=["programmes.programme", "programmes.jointprogramme"]
        ).values_list("pk", "source_type", "source_id"):
            if str(source_id).isdigit():
                found.setdefault(pk, int(source_id))
        return found

    # -- activities --------------------------------------------------------------------------
    def programmes(self):
        from compacts.programmes.selectors import programme_list

        return (
            programme_list()
            .filter(fund=self.fund, state__in=list(PUBLISHED_STATES))
            .select_related("gender_marker", "human_rights_marker", "child_sensitivity_marker")
            .prefetch_related(
                "countries", "participating_organisations", "sdg_targets", "other_objectives"
            )  # fmt: skip
        )

    def activities(self) -> Iterator[m.Activity]:
        """The fund's activity, then one per published programme (memory: one at a time)."""
        allocations = self.allocation_programmes()
        by_programme: dict[int, list[int]] = defaultdict(list)
        for allocation_id, programme_id in allocations.items():
            by_programme[programme_id].append(allocation_id)
        programmes = list(self.programmes().values_list("pk", "code"))
        identifiers = {pk: self.programme_identifier_from_code(code) for pk, code in programmes}
        yield self.fund_activity(
            list(identifiers.values()),
            attributed={
                allocation_id: identifiers[programme_id]
                for allocation_id, programme_id in allocations.items()
                if programme_id in identifiers
            },
        )
        for chunk_start in range(0, len(programmes), 200):
            ids = [pk for pk, _code in programmes[chunk_start : chunk_start + 200]]
            for programme in self.programmes().filter(pk__in=ids).order_by("code"):
                yield self.programme_activity(programme, by_programme.get(programme.pk, []))

    def programme_identifier_from_code(self, code: str) -> str:
        return f"{safe_id(self.publisher.prefix)}-{safe_id(code)}"

    def fund_activity(self, programme_ids: list[str], *, attributed: dict[int, str]) -> m.Activity:
        """The fund's own activity. ``attributed``: allocation id -> identifier of the published
        programme it belongs to (its transfers and expenditure are published there; a refund
        stays on the fund, naming the programme as the provider's activity)."""
        fund, language = self.fund, self.language
        postings = self._postings.filter(kind__in=FUND_KINDS)
        transactions = []
        last = fund.updated_at
        for posting in postings.iterator(chunk_size=500):
            last = max(last, posting.created_at)
            if posting.kind in ("transfer", "expenditure") and posting.allocation_id in attributed:
                continue
            programme_id = attributed.get(posting.allocation_id, "")
            tx = self.transaction(posting, programme_id=programme_id)
            if tx is not None:
                transactions.append(tx)
        first = min((t.date for t in transactions), default=fund.created_at.date())
        start = min(first, fund.created_at.date())
        descriptions = [
            m.Description("1", _translated(FUND_DESCRIPTION, {"fund": fund.name}, language)),
        ]  # fmt: skip
        if fund.is_illustrative:
            descriptions.append(m.Description("4", _translated(ILLUSTRATIVE, {}, language)))
        return m.Activity(
            identifier=self.fund_identifier,
            reporting_org=self.reporting_org,
            last_updated=last,
            title={language: fund.name},
            hierarchy="1",
            language=language,
            default_currency=fund.currency,
            descriptions=descriptions,
            participating_orgs=[
                *[m.ParticipatingOrg(**vars(self.org(d)), role="1") for d in self.donors()],
                m.ParticipatingOrg(**vars(self.fund_org()), role="2"),
                m.ParticipatingOrg(**vars(self.org(fund.administrative_agent)), role="3"),
                *[m.ParticipatingOrg(**vars(self.org(o)), role="4") for o in self.participants],
            ],
            status="2",
            dates=[("2", start)] if start <= self.today else [("1", start)],
            scope="1",
            regions=[
                m.Percentage(
                    "001", Decimal(100), vocabulary="2", name=_translated(WORLD, {}, language)
                )
            ],  # fmt: skip
            sectors=[m.Percentage(MIGRATION_SECTOR, None, vocabulary="1")],
            collaboration_type="2",
            default_flow_type="10",
            default_finance_type="110",
            default_aid_type="B04",
            transactions=transactions,
            document_links=self.links(),
            related=[("2", identifier) for identifier in programme_ids],
            is_illustrative=fund.is_illustrative,
        )

    def links(self, programme=None) -> list[m.DocumentLink]:
        base = (self.publisher.public_base_url or "http://localhost:8000").rstrip("/")
        try:
            path = (
                reverse("programmes:detail", args=[programme.pk])
                if programme is not None
                else reverse("iati:activities")
            )
        except NoReverseMatch:
            return []
        title = programme.title if programme is not None else self.fund.name
        return [m.DocumentLink(url=base + path, title={self.language: title},
                               format="text/html" if programme else "application/xml",
                               category="A12")]  # fmt: skip

    def programme_activity(self, programme, allocation_ids: list[int]) -> m.Activity:
        language = self.language
        identifier = self.programme_identifier(programme)
        countries = list(programme.countries.all())
        organisations = sorted(programme.participating_organisations.all(), key=lambda o: o.name)
        transactions = []
        last = programme.updated_at
        if allocation_ids:
            postings = self._postings.filter(
                allocation_id__in=allocation_ids, kind__in=["transfer", "expenditure"]
            )
            for posting in postings.iterator(chunk_size=500):
                last = max(last, posting.created_at)
                tx = self.transaction(posting, programme_id=identifier)
                if tx is not None:
                    transactions.append(tx)
        descriptions = [
            m.Description("1", _translated(
                PROGRAMME_DESCRIPTION,
                {"code": programme.code, "fund": self.fund.name,
                 "where": ", ".join(c.name for c in countries) or "-"},
                language)),
        ]  # fmt: skip
        if programme.joint_analysis.strip():
            descriptions.append(m.Description("1", {language: programme.joint_analysis}))
        if programme.theory_of_change.strip():
            descriptions.append(m.Description("2", {language: programme.theory_of_change}))
        if programme.is_illustrative:
            descriptions.append(m.Description("4", _translated(ILLUSTRATIVE, {}, language)))
        status = PUBLISHED_STATES[programme.state]
        start = programme.starts_on or programme.created_at.date()
        dates = [("1", start)]
        if programme.ends_on and programme.ends_on > start:
            dates.append(("3", programme.ends_on))
        if status in ("2", "3", "4") and programme.starts_on and programme.starts_on <= self.today:
            dates.append(("2", programme.starts_on))
            if status in ("3", "4") and programme.ends_on and programme.ends_on <= self.today:
                dates.append(("4", programme.ends_on))
        dates.sort(key=lambda d: d[0])
        if countries:
            shares = split_percentages(len(countries))
            country_rows = [
                m.Percentage(c.iso2, shares[i] if len(countries) > 1 else None,
                             name=_texts(c.name, c.names, language))
                for i, c in enumerate(countries)
            ]  # fmt: skip
            region_rows = []
        else:
            country_rows = []
            region_rows = [m.Percentage("001", None, vocabulary="2",
                                        name=_translated(WORLD, {}, language))]  # fmt: skip
        objectives = []
        if programme.primary_objective_id:
            objectives.append(programme.primary_objective)
        objectives += [o for o in programme.other_objectives.all() if o not in objectives]
        tags = [
            m.Percentage(t.code, vocabulary="3") for t in programme.sdg_targets.all()
        ] + [
            m.Percentage(f"GCM-{o.number}", vocabulary="99", vocabulary_uri=GCM_URI,
                         name=_texts(o.title, getattr(o, "titles", None), language))
            for o in objectives
        ]  # fmt: skip
        return m.Activity(
            identifier=identifier,
            reporting_org=self.reporting_org,
            last_updated=last,
            title={language: programme.title},
            hierarchy="2",
            language=language,
            default_currency=self.fund.currency,
            descriptions=descriptions,
            participating_orgs=[
                *[m.ParticipatingOrg(**vars(self.org(d)), role="1") for d in self.donors()],
                m.ParticipatingOrg(**vars(self.fund_org()), role="2"),
                m.ParticipatingOrg(**vars(self.org(self.fund.administrative_agent)), role="3"),
                *[m.ParticipatingOrg(**vars(self.org(o)), role="4") for o in organisations],
            ],
            status=status,
            dates=dates,
            scope=SCOPES.get(programme.scope, ""),
            countries=country_rows,
            regions=region_rows,
            sectors=[m.Percentage(MIGRATION_SECTOR, None, vocabulary="1")],
            tags=tags,
            policy_markers=self.markers(programme),
            collaboration_type="2",
            default_flow_type="10",
            default_finance_type="110",
            default_aid_type="B04",
            budgets=self.budgets(programme, status),
            transactions=transactions,
            document_links=self.links(programme),
            related=[("1", self.fund_identifier)],
            results=self.results(programme),
            is_illustrative=programme.is_illustrative,
        )

    def markers(self, programme) -> list[m.PolicyMarker]:
        markers = []
        level = programme.gender_marker
        if level is not None and level.value in GENDER_SIGNIFICANCE:
            markers.append(m.PolicyMarker("1", "1", GENDER_SIGNIFICANCE[level.value]))
        for code, level in (
            ("human-rights", programme.human_rights_marker),
            ("child-sensitivity", programme.child_sensitivity_marker),
        ):
            if level is not None:
                markers.append(m.PolicyMarker(
                    code, "99", vocabulary_uri=MARKERS_URI,
                    name={self.language: f"{level.marker.name}: {level.value} ({level.label})"},
                ))  # fmt: skip
        return markers

    def budgets(self, programme, status: str) -> list[m.Budget]:
        """One budget per year: the direct costs of the budget lines plus indirect support costs
        at the fund's rate (as the programmes app computes them)."""
        from compacts.programmes.selectors import isc_amount

        by_year: dict[int, Decimal] = defaultdict(Decimal)
        for line in programme.budget_lines.all():
            by_year[line.year] += line.amount
        rate = self.fund.indirect_support_cost_rate
        committed = "2" if status in ("2", "3", "4") or programme.state == "approved" else "1"
        return [
            m.Budget(
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31),
                value=direct + isc_amount(direct, rate),
                currency=self.fund.currency,
                value_date=datetime.date(year, 1, 1),
                status=committed,
            )
            for year, direct in sorted(by_year.items())
            if direct > 0
        ]

    def results(self, programme) -> list[m.Result]:
        from compacts.results.selectors import results_framework

        results = []
        for row in results_framework(programme=programme):
            outcome = row["outcome"]
            indicators = []
            for item in row["indicators"]:
                indicator = item["indicator"]
                periods: dict[tuple, m.Period] = {}
                for target in item["targets"]:
                    span = period_span(target.period)
                    if span and not target.breakdown:
                        periods.setdefault(span, m.Period(*span)).target = target.value
                for actual in item["actuals"]:
                    span = period_span(actual.period)
                    if span and not actual.breakdown and span[1] <= self.today:
                        periods.setdefault(span, m.Period(*span)).actual = actual.value
                baseline = period_span(indicator.baseline_period)
                indicators.append(m.Indicator(
                    title={self.language: f"{indicator.name} ({indicator.unit})"},
                    ref=indicator.code,
                    baseline_year=baseline[0].year if baseline else None,
                    baseline_value=indicator.baseline_value,
                    # IATI periods carry a target; an actual without a target is not published.
                    periods=[p for _k, p in sorted(periods.items()) if p.target is not None],
                ))  # fmt: skip
            results.append(m.Result("2", {self.language: f"{outcome.code} {outcome.statement}"},
                                    indicators))  # fmt: skip
        return results

    # -- the organisation file ----------------------------------------------------------------
    def organisation(self) -> m.Organisation:
        from compacts.programmes.selectors import isc_amount

        language, currency = self.language, self.fund.currency
        rate = self.fund.indirect_support_cost_rate
        totals: dict[int, Decimal] = defaultdict(Decimal)
        per_org: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        orgs = {}
        last = self.fund.updated_at
        for programme in self.programmes().filter(
            state__in=["approved", "active", "operationally-closed", "financially-closed"]
        ):
            last = max(last, programme.updated_at)
            for line in programme.budget_lines.select_related("organisation"):
                amount = line.amount + isc_amount(line.amount, rate)
                totals[line.year] += amount
                per_org[(line.organisation_id, line.year)] += amount
                orgs[line.organisation_id] = line.organisation
        spent: dict[int, Decimal] = defaultdict(Decimal)
        for posting in self._postings.filter(kind="expenditure"):
            value = self._value(posting)
            if value and posting.value_date.year < self.today.year:
                spent[posting.value_date.year] += value[0]

        def year(y: int, value: Decimal, recipient=None) -> m.OrgBudget:
            return m.OrgBudget(datetime.date(y, 1, 1), datetime.date(y, 12, 31), value, currency,
                               datetime.date(y, 1, 1), recipient)  # fmt: skip

        return m.Organisation(
            identifier=self.reporting_org.ref,
            name=dict(self.reporting_org.name),
            reporting_org=self.reporting_org,
            last_updated=last,
            language=language,
            default_currency=currency,
            total_budgets=[year(y, v) for y, v in sorted(totals.items()) if v > 0],
            recipient_org_budgets=[
                year(y, v, self.org(orgs[org_id]))
                for (org_id, y), v in sorted(per_org.items(), key=lambda kv: (kv[0][1], kv[0][0]))
                if v > 0
            ],
            total_expenditure=[year(y, v) for y, v in sorted(spent.items()) if v],
            document_links=self.links(),
        )


ILLUSTRATIVE = gettext_noop(
    "Illustrative demonstration data: the figures and programmes of this activity are invented "
    "to show how the platform works; they are not real."
)


def period_span(text: str) -> tuple[datetime.date, datetime.date] | None:
    """A results period (``2025``, ``2025-Q2``, ``2025-H1``) as its first and last day."""
    text = (text or "").strip().upper()
    try:
        if len(text) == 4 and text.isdigit():
            year = int(text)
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        year_text, _sep, part = text.partition("-")
        year = int(year_text)
        if part.startswith("Q") and part[1:] in {"1", "2", "3", "4"}:
            quarter = int(part[1:])
            start = datetime.date(year, 3 * quarter - 2, 1)
            end_month = 3 * quarter
        elif part in {"H1", "H2"}:
            start = datetime.date(year, 1 if part == "H1" else 7, 1)
            end_month = 6 if part == "H1" else 12
        else:
            return None
    except ValueError:
        return None
    next_month = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, next_month - datetime.timedelta(days=1)
