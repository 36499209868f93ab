from django.utils.translation import gettext_lazy as _

from compacts.core.navigation import NavItem

ITEMS = [NavItem(_("IATI import"), "iati:import", 90, staff_only=True)]
