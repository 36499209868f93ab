from django.utils.translation import gettext_lazy as _

from compacts.core.navigation import NavItem

ITEMS = [
    NavItem(_("Pledges"), "tracking:pledge-dashboard", 60),
    NavItem(_("Indicators"), "tracking:indicator-list", 62),
    NavItem(_("Health lens"), "tracking:health", 64),
    NavItem(_("Review cycle"), "tracking:cycle", 66),
]
