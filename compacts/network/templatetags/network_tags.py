from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localised(obj) -> str:
    """A reference row's name in the reader's language (``names``), else its own name."""
    if obj is None:
        return ""
    names = getattr(obj, "names", None) or {}
    return names.get(get_language() or "en") or str(getattr(obj, "name", obj))


@register.filter
def short_label(objective) -> str:
    labels = getattr(objective, "short_labels", None) or {}
    return labels.get(get_language() or "en") or objective.short_label


@register.simple_tag(takes_context=True)
def may(context, operation: str, obj=None) -> bool:
    """Whether the signed-in person may do ``operation`` (to show or hide a link)."""
    from compacts.core.permissions import allowed

    request = context.get("request")
    return bool(request is not None and allowed(request.user, operation, obj))
