from django.urls import path

from compacts.tracking import views

app_name = "tracking"
urlpatterns = [
    path("", views.index, name="index"),
    path("pledges/", views.pledge_dashboard, name="pledge-dashboard"),
    path("pledges/new/", views.pledge_create, name="pledge-create"),
    path("pledges/review/", views.review_queue, name="review-queue"),
    path("pledges/upload/", views.pledge_upload, name="pledge-upload"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge-detail"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge-edit"),
    path("pledges/<int:pk>/transition/", views.pledge_transition, name="pledge-transition"),
    path("pledges/<int:pk>/report/", views.pledge_report, name="pledge-report"),
    path("gcr-pledges/", views.gcr_pledge_list, name="gcr-pledge-list"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<slug:slug>.csv", views.indicator_csv, name="indicator-csv"),
    path("health/", views.health, name="health"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("review-cycle/", views.cycle, name="cycle"),
    path("reports/", views.report_index, name="report-index"),
    path("reports/objectives/<int:number>/", views.report_objective, name="report-objective"),
    path(
        "reports/objectives/<int:number>/pdf/",
        views.report_objective,
        {"pdf": True},
        name="report-objective-pdf",
    ),
    path("reports/countries/<str:m49>/", views.report_country, name="report-country"),
    path(
        "reports/countries/<str:m49>/pdf/",
        views.report_country,
        {"pdf": True},
        name="report-country-pdf",
    ),
    path("reports/imrf/<int:year>/", views.report_edition, name="report-edition"),
    path(
        "reports/imrf/<int:year>/pdf/",
        views.report_edition,
        {"pdf": True},
        name="report-edition-pdf",
    ),
]
