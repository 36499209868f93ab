from django import template
from django.utils.safestring import mark_safe

from compacts.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj):
    """``{% panels "gcm-objective" objective %}``: render the panels other apps registered."""
    return mark_safe(render_panels(slot, obj, request=context.get("request")))  # noqa: S308
