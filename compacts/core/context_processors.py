from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from compacts.core.navigation import main_navigation


def site(request):
    return {
        "site_name": settings.COMPACTS_SITE_NAME,
        "main_navigation": main_navigation(user=request.user, current_path=request.path),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "current_language": get_language(),
    }
