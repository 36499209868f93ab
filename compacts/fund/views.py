"""The fund's pages: the list of funds and each fund's factsheet (public), the administrative
agent's recording forms, a focal point's expenditure form, and the downloads."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from compacts.core.permissions import allowed
from compacts.fund import exports, selectors, services
from compacts.fund.forms import (
    ChargeForm,
    CommitmentForm,
    DepositForm,
    ExpenditureForm,
    InterestForm,
    RatesUploadForm,
    RefundForm,
    ReverseForm,
    TransferForm,
    instalment_formset,
    new_key,
)
from compacts.fund.models import Allocation, Commitment, FundParticipant, PostingKind

# What each factsheet line means, shown beside the figure (docs/fund.md).
LINE_LABELS = {
    "commitments": gettext_lazy("Commitments"),
    "deposits": gettext_lazy("Deposits"),
    "interest_fund": gettext_lazy("Interest earned by the fund"),
    "interest_po": gettext_lazy("Interest earned by participating organisations"),
    "transfers": gettext_lazy("Transfers to participating organisations"),
    "refunds": gettext_lazy("Refunds from participating organisations"),
    "fee": gettext_lazy("Administrative agent fee"),
    "direct_costs": gettext_lazy("Direct costs"),
    "bank_charges": gettext_lazy("Bank charges"),
    "expenditure": gettext_lazy("Expenditure reported by participating organisations"),
    "balance_with_aa": gettext_lazy("Balance with the administrative agent"),
    "balance_with_pos": gettext_lazy("Balance with participating organisations"),
}
LINE_DEFINITIONS = {
    "commitments": gettext_lazy(
        "Signed contribution agreements, in US dollars at the rate of the signing date."
    ),
    "deposits": gettext_lazy("Money received from donors, at the rate of each value date."),
    "interest_fund": gettext_lazy("Interest on the cash held by the administrative agent."),
    "interest_po": gettext_lazy(
        "Interest reported by participating organisations on the money they hold."
    ),
    "transfers": gettext_lazy(
        "Money sent to participating organisations for approved allocations."
    ),
    "refunds": gettext_lazy("Money participating organisations returned to the fund."),
    "fee": gettext_lazy("The administrative agent's fee, a share of each deposit."),
    "direct_costs": gettext_lazy("Costs of running the fund paid from its cash."),
    "bank_charges": gettext_lazy("Charges of the banks that moved the money."),
    "expenditure": gettext_lazy("What participating organisations report they spent."),
    "balance_with_aa": gettext_lazy(
        "Deposits + interest + refunds - transfers - fee - direct costs - bank charges."
    ),
    "balance_with_pos": gettext_lazy("Transfers - refunds + their interest - expenditure."),
}


def _fund(request: HttpRequest, code: str, operation: str = "fund.view"):
    try:
        return selectors.fund_get_for_user(user=request.user, code=code, operation=operation)
    except NotFoundError as error:
        raise Http404(error.message) from None
    except PermissionDeniedError:
        raise PermissionDenied from None


def fund_list(request: HttpRequest) -> HttpResponse:
    return render(request, "fund/fund_list.html", {"funds": selectors.fund_list()})


def fund_detail(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code, "fund.factsheet.view")
    sheet = selectors.factsheet_get(fund=fund)
    lines = [
        {
            "key": key,
            "label": LINE_LABELS[key],
            "definition": LINE_DEFINITIONS[key],
            "value": sheet.totals[key],
        }
        for key in LINE_LABELS
    ]
    return render(
        request,
        "fund/fund_detail.html",
        {
            "fund": fund,
            "sheet": sheet,
            "lines": lines,
            "year_keys": ["deposits", "transfers", "expenditure", "balance_with_aa"],
            "can_record": allowed(request.user, "fund.deposit.create", fund),
            "can_view_ledger": allowed(request.user, "fund.ledger.view", fund),
            "can_keep_books": allowed(request.user, "fund.ledger.view", fund)
            or any(allowed(request.user, op, fund) for _n, _l, op in BOOK_SECTIONS),
            "can_report": bool(_reportable(request, fund)),
        },
    )


def _reportable(request, fund):
    if not request.user.is_authenticated:
        return []
    participants = FundParticipant.objects.filter(fund=fund).select_related("organisation")
    if not request.user.is_superuser:
        participants = participants.filter(
            organisation_id__in=user_organisation_ids(request.user, role_codes=["puno-focal-point"])
        )
    return [p for p in participants if allowed(request.user, "fund.expenditure.report", p)]


def _post_service(request, form, call, success: str):
    """Run the service when the form is valid; show its refusal beside the form (next to the
    field it concerns when the form has that field), nothing posted."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except ApplicationError as error:
        field = (error.extra or {}).get("field")
        form.add_error(field if field in form.fields else None, error.message)
        return False
    messages.success(request, success)
    return True


@login_required
def fund_record(request: HttpRequest, code: str) -> HttpResponse:
    """The administrative agent records deposits and transfers."""
    fund = _fund(request, code, "fund.deposit.create")
    if not allowed(request.user, "fund.transfer.create", fund):
        raise PermissionDenied
    commitments = list(
        Commitment.objects.filter(fund=fund).select_related("donor").order_by("-signed_on", "-pk")
    )
    allocations = list(
        Allocation.objects.filter(fund=fund)
        .select_related("organisation")
        .order_by("-decided_on", "-pk")
    )
    action = request.POST.get("action") if request.method == "POST" else None
    deposit_form = DepositForm(
        request.POST if action == "deposit" else None,
        commitments=commitments,
        prefix="deposit",
        initial={"idempotency_key": new_key()},
    )
    transfer_form = TransferForm(
        request.POST if action == "transfer" else None,
        allocations=allocations,
        prefix="transfer",
        initial={"idempotency_key": new_key()},
    )
    by_pk = {c.pk: c for c in commitments}
    allocation_by_pk = {a.pk: a for a in allocations}
    if action == "deposit" and _post_service(
        request,
        deposit_form,
        lambda data: services.deposit_create(
            commitment=by_pk[data["commitment"]],
            amount=data["amount"],
            currency=by_pk[data["commitment"]].currency,
            value_date=data["value_date"],
            actor=request.user,
            idempotency_key=data["idempotency_key"],
        ),
        _("The deposit was recorded."),
    ):
        return redirect("fund:fund-detail", code=fund.code)
    if action == "transfer" and _post_service(
        request,
        transfer_form,
        lambda data: services.transfer_create(
            allocation=allocation_by_pk[data["allocation"]],
            amount=data["amount"],
            value_date=data["value_date"],
            actor=request.user,
            idempotency_key=data["idempotency_key"],
        ),
        _("The transfer was recorded."),
    ):
        return redirect("fund:fund-detail", code=fund.code)
    status = 400 if action else 200
    return render(
        request,
        "fund/fund_record.html",
        {
            "fund": fund,
            "books_nav": _books_nav(request, fund, "fund:fund-record"),
            "deposit_form": deposit_form,
            "transfer_form": transfer_form,
            "cash": selectors.fund_cash_available(fund=fund),
        },
        status=status,
    )


@login_required
def fund_expenditure(request: HttpRequest, code: str) -> HttpResponse:
    """A participating organisation's focal point reports her organisation's expenditure."""
    fund = _fund(request, code)
    participants = _reportable(request, fund)
    if not participants:
        raise PermissionDenied
    organisations = {p.organisation_id: p for p in participants}
    allocations = {
        a.pk: a
        for a in Allocation.objects.filter(fund=fund, organisation_id__in=organisations)
        .select_related("fund", "organisation")
        .order_by("-decided_on", "-pk")
    }
    form = ExpenditureForm(
        request.POST if request.method == "POST" else None,
        organisations=[p.organisation for p in participants],
        allocations=list(allocations.values()),
        initial={"idempotency_key": new_key()},
    )
    if request.method == "POST" and _post_service(
        request,
        form,
        lambda data: services.expenditure_report(
            fund=fund,
            organisation=organisations[data["organisation"]].organisation,
            reported_for=organisations[data["organisation"]].organisation,
            amount=data["amount"],
            value_date=data["value_date"],
            actor=request.user,
            idempotency_key=data["idempotency_key"],
            allocation=allocations.get(data["allocation"]),
        ),
        _("The expenditure was reported."),
    ):
        return redirect("fund:fund-detail", code=fund.code)
    return render(
        request,
        "fund/fund_expenditure.html",
        {"fund": fund, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def factsheet_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    fund = _fund(request, code, "fund.factsheet.view")
    sheet = selectors.factsheet_get(fund=fund)
    rows = exports.factsheet_rows(sheet, LINE_LABELS)
    name = f"{fund.code}-factsheet"
    if fmt == "csv":
        return exports.csv_response(rows, f"{name}.csv")
    return exports.xlsx_response(rows, f"{name}.xlsx", fund.code)


def ledger_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    fund = _fund(request, code, "fund.ledger.view")
    rows = exports.ledger_rows(selectors.ledger_lines(fund=fund))
    name = f"{fund.code}-ledger"
    if fmt == "csv":
        return exports.csv_response(rows, f"{name}.csv")
    return exports.xlsx_response(rows, f"{name}.xlsx", fund.code)


# --- The books: screens for the staff who keep the fund's books ------------------------------

BOOK_SECTIONS = [
    # (url name, label, operation to record, operation to see)
    ("fund:commitments", gettext_lazy("Commitments"), "fund.commitment.create"),
    ("fund:fund-record", gettext_lazy("Deposits and transfers"), "fund.deposit.create"),
    ("fund:refunds", gettext_lazy("Refunds"), "fund.refund.record"),
    ("fund:interest", gettext_lazy("Interest"), "fund.interest.record"),
    ("fund:charges", gettext_lazy("Bank charges and direct costs"), "fund.charge.record"),
    ("fund:reversals", gettext_lazy("Reversals"), "fund.posting.reverse"),
]


def _books_fund(request: HttpRequest, code: str):
    """The fund, for people who may see its books (the Management Unit, its agent,
    administrators) or record in them."""
    fund = _fund(request, code)
    if not (
        allowed(request.user, "fund.ledger.view", fund)
        or any(allowed(request.user, op, fund) for _n, _l, op in BOOK_SECTIONS)
    ):
        raise PermissionDenied
    return fund


def _books_nav(request, fund, current: str) -> list[dict]:
    return [
        {
            "url": reverse(name, args=[fund.code]),
            "label": label,
            "current": name == current,
        }
        for name, label, operation in BOOK_SECTIONS
        if name != "fund:fund-record" or allowed(request.user, operation, fund)
    ] + [
        {
            "url": reverse("fund:exchange-rates"),
            "label": _("Exchange rates"),
            "current": current == "fund:exchange-rates",
        }
    ]


def _books_render(request, template: str, fund, current: str, context: dict, status: int = 200):
    return render(
        request,
        template,
        {"fund": fund, "books_nav": _books_nav(request, fund, current), **context},
        status=status,
    )


def _require_post(request, fund, operation: str) -> None:
    if not allowed(request.user, operation, fund):
        raise PermissionDenied


@login_required
def commitment_list(request: HttpRequest, code: str) -> HttpResponse:
    """Commitments with their instalment schedules and the differences between what was
    committed and what was deposited; the agent records new ones here."""
    from compacts.actors.models import Organisation
    from compacts.framework.models import ThematicArea

    fund = _books_fund(request, code)
    can_record = allowed(request.user, "fund.commitment.create", fund)
    form = formset = None
    status = 200
    if can_record:
        donors = list(Organisation.objects.order_by("name").only("name", "short_name"))
        areas = list(ThematicArea.objects.order_by("code"))
        action = request.POST.get("action") if request.method == "POST" else None
        if action == "more":
            # One more row of the schedule; what was typed stays, nothing is checked yet.
            typed = instalment_formset(request.POST, rows=0)
            rows = [
                {"due_on": f["due_on"].value(), "amount": f["amount"].value()}
                for f in typed.forms
                if f["due_on"].value() or f["amount"].value()
            ]
            form = CommitmentForm(initial=request.POST.dict(), donors=donors, thematic_areas=areas)
            formset = instalment_formset(initial=rows, rows=1 + max(0, 2 - len(rows)))
        elif action == "record":
            _require_post(request, fund, "fund.commitment.create")
            form = CommitmentForm(request.POST, donors=donors, thematic_areas=areas)
            formset = instalment_formset(request.POST, rows=0)
            by_pk = {o.pk: o for o in donors}
            area_by_pk = {a.pk: a for a in areas}
            if formset.is_valid() and _post_service(
                request,
                form,
                lambda data: services.commitment_create(
                    fund=fund,
                    donor=by_pk[data["donor"]],
                    amount=data["amount"],
                    currency=data["currency"],
                    signed_on=data["signed_on"],
                    actor=request.user,
                    instalments=[
                        (row["due_on"], row["amount"])
                        for row in formset.cleaned_data
                        if row.get("due_on") and row.get("amount")
                    ]
                    or None,
                    thematic_area=area_by_pk.get(data["thematic_area"]),
                    reference=data["reference"],
                    idempotency_key=data["idempotency_key"],
                ),
                _("The commitment was recorded."),
            ):
                return redirect("fund:commitments", code=fund.code)
            if formset.is_valid() is False and form.is_valid():
                form.add_error(None, _("Correct the instalment schedule."))
            status = 400
        else:
            form = CommitmentForm(
                initial={"idempotency_key": new_key(), "signed_on": timezone.localdate()},
                donors=donors,
                thematic_areas=areas,
            )
            formset = instalment_formset(rows=3)
    elif request.method == "POST":
        raise PermissionDenied
    rows = selectors.commitment_list(fund=fund, with_instalments=True)
    context = {"rows": rows, "form": form, "formset": formset, "can_record": can_record}
    if request.headers.get("HX-Request") and request.POST.get("action") == "more":
        return render(request, "fund/books/_commitment_form.html", {"fund": fund, **context})
    return _books_render(
        request, "fund/books/commitments.html", fund, "fund:commitments", context, status
    )


def _movement_page(
    request,
    code: str,
    *,
    current: str,
    operation: str,
    kinds: list[str],
    make_form,
    call,
    success: str,
    title,
    intro,
    button,
):
    """A recording form and the latest postings of ``kinds`` (refunds, interest, charges)."""
    fund = _books_fund(request, code)
    can_record = allowed(request.user, operation, fund)
    form = None
    status = 200
    if request.method == "POST":
        _require_post(request, fund, operation)
        form = make_form(fund, request.POST)
        if _post_service(request, form, lambda data: call(fund, data), success):
            return redirect(current, code=fund.code)
        status = 400
    elif can_record:
        form = make_form(fund, None)
    return _books_render(
        request,
        "fund/books/movements.html",
        fund,
        current,
        {
            "form": form,
            "can_record": can_record,
            "postings": selectors.posting_rows(fund=fund, kinds=kinds),
            "title": title,
            "intro": intro,
            "button": button,
        },
        status,
    )


def _initial() -> dict:
    return {"idempotency_key": new_key()}


@login_required
def refund_list(request: HttpRequest, code: str) -> HttpResponse:
    def make_form(fund, data):
        allocations = list(
            Allocation.objects.filter(fund=fund)
            .select_related("organisation")
            .order_by("-decided_on", "-pk")
        )
        form = RefundForm(data, allocations=allocations, initial=_initial())
        form.by_pk = {a.pk: a for a in allocations}
        return form

    def call(fund, data):
        form_allocations = Allocation.objects.select_related("fund", "organisation")
        return services.refund_record(
            allocation=form_allocations.get(fund=fund, pk=data["allocation"]),
            amount=data["amount"],
            value_date=data["value_date"],
            actor=request.user,
            idempotency_key=data["idempotency_key"],
        )

    return _movement_page(
        request,
        code,
        current="fund:refunds",
        operation="fund.refund.record",
        kinds=[PostingKind.REFUND],
        make_form=make_form,
        call=call,
        success=_("The refund was recorded."),
        title=_("Refunds"),
        intro=_(
            "Money a participating organisation returns to the fund from an allocation's "
            "transfers. It cannot exceed what was transferred for the allocation."
        ),
        button=_("Record the refund"),
    )


@login_required
def interest_list(request: HttpRequest, code: str) -> HttpResponse:
    def make_form(fund, data):
        organisations = [p.organisation for p in selectors.fund_participant_list(fund=fund)]
        return InterestForm(data, organisations=organisations, initial=_initial())

    def call(fund, data):
        organisation = None
        if data["organisation"]:
            organisation = (
                selectors.fund_participant_list(fund=fund)
                .get(organisation_id=data["organisation"])
                .organisation
            )
        return services.interest_record(
            fund=fund,
            organisation=organisation,
            amount=data["amount"],
            value_date=data["value_date"],
            actor=request.user,
            idempotency_key=data["idempotency_key"],
            description=data["description"],
        )

    return _movement_page(
        request,
        code,
        current="fund:interest",
        operation="fund.interest.record",
        kinds=[PostingKind.INTEREST],
        make_form=make_form,
        call=call,
        success=_("The interest was recorded."),
        title=_("Interest"),
        intro=_(
            "Interest earned by the fund on the cash the administrative agent holds, or "
            "reported by a participating organisation on the balance it holds."
        ),
        button=_("Record the interest"),
    )


@login_required
def charge_list(request: HttpRequest, code: str) -> HttpResponse:
    def make_form(fund, data):
        return ChargeForm(data, initial=_initial())

    def call(fund, data):
        record = (
            services.direct_cost_record
            if data["kind"] == "direct-cost"
            else services.bank_charge_record
        )
        return record(
            fund=fund,
            amount=data["amount"],
            value_date=data["value_date"],
            actor=request.user,
            description=data["description"],
            idempotency_key=data["idempotency_key"],
        )

    return _movement_page(
        request,
        code,
        current="fund:charges",
        operation="fund.charge.record",
        kinds=[PostingKind.BANK_CHARGE, PostingKind.DIRECT_COST],
        make_form=make_form,
        call=call,
        success=_("The charge was recorded."),
        title=_("Bank charges and direct costs"),
        intro=_(
            "Paid from the cash the administrative agent holds; refused when the cash is not "
            "enough."
        ),
        button=_("Record the charge"),
    )


@login_required
def reversal_list(request: HttpRequest, code: str) -> HttpResponse:
    """The latest postings, each with its reversal or a link to reverse it."""
    fund = _books_fund(request, code)
    kind = request.GET.get("kind", "")
    if kind not in PostingKind.values:
        kind = ""
    return _books_render(
        request,
        "fund/books/reversals.html",
        fund,
        "fund:reversals",
        {
            "postings": selectors.posting_rows(fund=fund, kinds=[kind] if kind else None),
            "kinds": PostingKind.choices,
            "kind": kind,
            "can_reverse": allowed(request.user, "fund.posting.reverse", fund),
        },
    )


@login_required
def posting_reverse(request: HttpRequest, code: str, posting_id: int) -> HttpResponse:
    """Reverse one posting: the form says why; the service posts the exact opposite."""
    fund = _books_fund(request, code)
    _require_post(request, fund, "fund.posting.reverse")
    try:
        posting = selectors.posting_get(fund=fund, posting_id=posting_id)
    except NotFoundError as error:
        raise Http404(error.message) from None
    form = ReverseForm(
        request.POST if request.method == "POST" else None, initial={"idempotency_key": new_key()}
    )
    if request.method == "POST" and _post_service(
        request,
        form,
        lambda data: services.posting_reverse(
            posting=posting,
            actor=request.user,
            reason=data["reason"],
            value_date=data["value_date"],
            idempotency_key=data["idempotency_key"],
        ),
        _("The posting was reversed."),
    ):
        return redirect("fund:reversals", code=fund.code)
    return _books_render(
        request,
        "fund/books/reverse.html",
        fund,
        "fund:reversals",
        {
            "posting": posting,
            "lines": [
                {
                    "line": line,
                    "debit": line.amount if line.amount > 0 else None,
                    "credit": -line.amount if line.amount < 0 else None,
                }
                for line in posting.lines.all()
            ],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def exchange_rates(request: HttpRequest) -> HttpResponse:
    """The exchange-rate tables by month (public, as in the API); agents upload the UN
    operational rates here, and a bad file is refused with its errors row by row."""
    months = selectors.exchange_rate_months()
    month = None
    raw = request.GET.get("month", "")
    try:
        month = datetime.date.fromisoformat(f"{raw}-01") if raw else None
    except ValueError:
        month = None
    if month is None and months:
        month = months[0]
    can_load = allowed(request.user, "fund.exchange_rate.load")
    form = RatesUploadForm() if can_load else None
    row_errors: list[dict] = []
    status = 200
    if request.method == "POST":
        if not can_load:
            raise PermissionDenied
        form = RatesUploadForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["text"]
            _rows, row_errors = services.exchange_rates_check_csv(
                text=text, source=form.cleaned_data["source"]
            )
            if not row_errors:
                try:
                    count = services.exchange_rates_load_csv(
                        text=text, source=form.cleaned_data["source"], actor=request.user
                    )
                except PermissionDeniedError:
                    raise PermissionDenied from None
                except ApplicationError as error:
                    row_errors = error.extra.get("errors") or [
                        {"line": "", "message": error.message, "value": ""}
                    ]
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s rate was loaded.", "%(count)s rates were loaded.", count
                        )
                        % {"count": count},
                    )
                    return redirect("fund:exchange-rates")
            # Nothing was loaded: keep the rows in the text box, to be corrected there.
            data = request.POST.copy()
            data["text"] = text
            form = RatesUploadForm(data)
            form.is_valid()
            form.add_error(
                None,
                ngettext(
                    "Nothing was loaded: %(count)s row has an error.",
                    "Nothing was loaded: %(count)s rows have errors.",
                    len(row_errors),
                )
                % {"count": len(row_errors)},
            )
        status = 400
    return render(
        request,
        "fund/books/exchange_rates.html",
        {
            "months": months,
            "month": month,
            "rates": selectors.exchange_rate_month_list(month=month) if month else [],
            "form": form,
            "row_errors": row_errors,
        },
        status=status,
    )
