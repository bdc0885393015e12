"""Open edX plugin settings: edx-django-utils calls ``plugin_settings`` with the LMS's (or Studio's)
settings module in its COMMON phase (``plugin_app`` in apps.py).

That phase runs at the end of the platform's common settings, before ``derive_settings``: many
settings are still ``Derived`` objects there (``LOCALE_PATHS = Derived(_make_locale_paths)`` in
openedx-platform's openedx/envs/common.py), which cannot be iterated or appended to. So this
function never iterates a setting the platform may still be deriving (``add_once``), and leaves
the platform's locale settings alone.

How our catalog is reached, without touching the platform's locale settings:

- the blocks open it themselves (core/i18n.py; docs/decisions/0004-own-catalog-loading.md);
- Django's own translation (management commands, the admin, and the LMS's XBlock i18n service
  when it falls back to Django) finds it as this app's ``locale/`` folder, which Django reads for
  every installed app; the LMS and Studio install us through the ``lms.djangoapp`` and
  ``cms.djangoapp`` entry points. ``locale`` is a link to ``conf/locale`` in the tree; the wheel
  carries real files.

Why not the platform's hook, ``PREPEND_LOCALE_PATHS`` (the one list ``_make_locale_paths`` puts in
front of the platform's own ``conf/locale``)? Every ``LOCALE_PATHS`` folder outranks every app's
catalog, and a prepended one outranks the platform's: our Vietnamese for words the LMS also uses
("Save", "Edit", "Date", "Present") would replace the platform's on every page of the site. As an
app catalog we rank below the platform's, so where both translate a word the site keeps its own.

The one platform setting we add to is ``MODULESTORE_FIELD_OVERRIDE_PROVIDERS`` (a tuple defined in
lms/envs/common.py before the plugins' COMMON settings run): the provider that hides what is under
a material from learners until it is approved (material/visibility.py,
docs/decisions/0007-gating-through-the-platforms-visibility.md). The provider is named, not
imported: settings run before Django's apps are ready.
"""

VISIBILITY_PROVIDER = "vn_online_teaching.material.visibility.UnapprovedMaterialOverrideProvider"


def plugin_settings(settings):
    """Our setting (operators fill it; every key is optional) and our field-override provider."""
    settings.VN_ONLINE_TEACHING = getattr(settings, "VN_ONLINE_TEACHING", None) or {}
    add_once(settings, "MODULESTORE_FIELD_OVERRIDE_PROVIDERS", VISIBILITY_PROVIDER)


def add_once(settings, name, value):
    """Add ``value`` to the list or tuple setting ``name`` unless it is there, keeping its type.

    A value the platform is still deriving (an object with ``calculate_value``, openedx-platform's
    ``Derived``) is not read now: it is replaced by one of its kind that adds ``value`` to what the
    original derives, when the platform derives it.
    """
    current = getattr(settings, name, ())
    calculate = getattr(current, "calculate_value", None)
    if callable(calculate):
        setattr(settings, name, type(current)(lambda derived: _with(calculate(derived), value)))
    else:
        setattr(settings, name, _with(current, value))


def _with(values, value):
    values = () if values is None else values
    if value in values:
        return values
    return [*values, value] if isinstance(values, list) else (*values, value)
