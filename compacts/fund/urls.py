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
    path("<slug:code>/", views.fund_detail, name="fund-detail"),
    path("<slug:code>/record/", views.fund_record, name="fund-record"),
    path("<slug:code>/expenditure/", views.fund_expenditure, name="fund-expenditure"),
    path(
        "<slug:code>/factsheet.<fund_format:fmt>",
        views.factsheet_download,
        name="factsheet-download",
    ),
    path("<slug:code>/ledger.<fund_format:fmt>", views.ledger_download, name="ledger-download"),
]
