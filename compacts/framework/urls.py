from django.urls import path

from compacts.framework import views

app_name = "framework"
urlpatterns = [
    path("", views.index, name="index"),
    path("gcm/objectives/", views.objective_list, name="objective-list"),
    path("gcm/objectives/<int:number>/", views.objective_detail, name="objective-detail"),
    path("gcm/principles/", views.principle_list, name="principle-list"),
    path("gcr/", views.gcr, name="gcr"),
    path("mptf/", views.mptf, name="mptf"),
    path(
        "mptf/thematic-areas/<slug:code>/confirm/",
        views.thematic_area_confirm,
        name="thematic-area-confirm",
    ),
    path("mptf/markers/<slug:code>/confirm/", views.marker_confirm, name="marker-confirm"),
    path("sdg/", views.goal_list, name="goal-list"),
    path("sdg/goals/<int:number>/", views.goal_detail, name="goal-detail"),
    path("sdg/indicators/", views.indicator_list, name="indicator-list"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso2>/", views.country_detail, name="country-detail"),
    path("regions/", views.region_list, name="region-list"),
    path("codelists/", views.codelist_list, name="codelist-list"),
    path("codelists/<str:name>/", views.codelist_detail, name="codelist-detail"),
]
