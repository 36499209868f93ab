from django.utils.translation import gettext_lazy as _

from compacts.core.navigation import NavItem

ITEMS = [
    NavItem(_("Programmes"), "programmes:list", 50),
    NavItem(_("Pipeline"), "programmes:pipeline", 51),
]
