"""Pages of the api app, meant to be included at ``account/`` (see docs/api.md)."""

from django.urls import path

from compacts.api import views

app_name = "api-account"
urlpatterns = [
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
