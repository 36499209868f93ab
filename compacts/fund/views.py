"""The fund's pages: the list of funds and each fund's factsheet (public), the administrative
agent's recording forms, a focal point's expenditure form, and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from compacts.core.permissions import allowed
from compacts.fund import exports, selectors, services
from compacts.fund.forms import DepositForm, ExpenditureForm, TransferForm, new_key
from compacts.fund.models import Allocation, Commitment, FundParticipant

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
    """Run the service when the form is valid; show its refusal beside the form."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
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
    form = ExpenditureForm(
        request.POST if request.method == "POST" else None,
        organisations=[p.organisation for p in participants],
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
