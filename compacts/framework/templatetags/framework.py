from django import template

from compacts.framework.i18n import localized_name

register = template.Library()


@register.filter
def localized(obj, field: str = "name") -> str:
    """``{{ country|localized }}``, ``{{ goal|localized:"title" }}``: in the current language."""
    return localized_name(obj, field=field)
