from django.utils.translation import gettext_lazy as _

from compacts.core.navigation import NavItem

ITEMS = [
    NavItem(_("UN Network on Migration"), "network:index", 60),
    NavItem(_("Knowledge hub"), "network:hub", 61),
]
