from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compacts.api.api import api

urlpatterns = [
    path("", include("compacts.core.urls")),
    path("framework/", include("compacts.framework.urls")),
    path("organisations/", include("compacts.actors.urls")),
    path("fund/", include("compacts.fund.urls")),
    path("programmes/", include("compacts.programmes.urls")),
    path("results/", include("compacts.results.urls")),
    path("network/", include("compacts.network.urls")),
    path("tracking/", include("compacts.tracking.urls")),
    path("iati/", include("compacts.iati.urls")),
    path("gateway/", include("compacts.gateway.urls")),
    path("api/v1/", api.urls),
    path("account/", include("compacts.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler403 = "compacts.core.views.permission_denied"
handler404 = "compacts.core.views.page_not_found"
handler500 = "compacts.core.views.server_error"
