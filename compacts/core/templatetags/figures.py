"""``{% load figures %}``: ``{% figure "slug" key=value %}`` or ``{% figure figure_obj %}``.

``heading_level=3`` sets the heading's level (default 2); every other keyword is a parameter of
the figure. An unknown slug raises ``NotFoundError`` (a 404 page), like an unknown code in the
parameters.
"""

from django import template
from django.utils.safestring import mark_safe

from compacts.core.figures import Figure, figure_get, render_figure

register = template.Library()


@register.simple_tag(takes_context=True)
def figure(context, slug_or_figure, heading_level=2, **params):
    """Render a registered figure (by slug, with ``params``) or a ``Figure`` object."""
    if isinstance(slug_or_figure, Figure):
        built = slug_or_figure
    else:
        built = figure_get(str(slug_or_figure), params)
    html = render_figure(built, request=context.get("request"), heading_level=int(heading_level))
    return mark_safe(html)  # noqa: S308 - rendered by a template with autoescaping
