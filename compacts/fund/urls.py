from django.urls import path, register_converter

from compacts.fund import views


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fund_format")

app_name = "fund"
urlpatterns = [
    path("", views.fund_list, name="fund-list"),
    path("exchange-rates/", views.exchange_rates, name="exchange-rates"),
    path("<slug:code>/", views.fund_detail, name="fund-detail"),
    path("<slug:code>/record/", views.fund_record, name="fund-record"),
    path("<slug:code>/expenditure/", views.fund_expenditure, name="fund-expenditure"),
    path("<slug:code>/commitments/", views.commitment_list, name="commitments"),
    path("<slug:code>/refunds/", views.refund_list, name="refunds"),
    path("<slug:code>/interest/", views.interest_list, name="interest"),
    path("<slug:code>/charges/", views.charge_list, name="charges"),
    path("<slug:code>/reversals/", views.reversal_list, name="reversals"),
    path(
        "<slug:code>/postings/<int:posting_id>/reverse/",
        views.posting_reverse,
        name="posting-reverse",
    ),
    path(
        "<slug:code>/factsheet.<fund_format:fmt>",
        views.factsheet_download,
        name="factsheet-download",
    ),
    path("<slug:code>/ledger.<fund_format:fmt>", views.ledger_download, name="ledger-download"),
]
