from django.utils.translation import gettext_lazy as _

from compacts.core.navigation import NavItem

ITEMS = [NavItem(_("Funds"), "fund:fund-list", 50)]
