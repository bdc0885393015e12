"""Template tags of our templates: ``{% t "text" %}`` and the ``|t`` filter.

They translate through ``core.i18n`` (our own catalog) so a template never depends on how the
platform merges catalogs.
"""
from django import template

from . import i18n

register = template.Library()


@register.simple_tag
def t(message, **kwargs):
    """Translate ``message``; ``{name}`` placeholders are filled from the keyword arguments.

    The result is escaped by the template engine like any other value.
    """
    text = i18n.gettext(message)
    return text.format(**kwargs) if kwargs else text


@register.filter(name="t")
def t_filter(message):
    """Translate a value marked with ``N_`` (kinds, states, roles)."""
    return i18n.gettext(message) if message else ""
