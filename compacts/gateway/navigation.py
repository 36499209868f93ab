"""The gateway's entry in the site's main navigation: the public open-data pages."""

from django.utils.translation import gettext_lazy as _

from compacts.core.navigation import NavItem

ITEMS = [NavItem(_("Open data"), "gateway:overview", 20)]
