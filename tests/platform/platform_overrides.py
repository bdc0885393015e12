"""Field overrides and inheritance as the platform applies them to blocks it loads.

Copied from openedx-platform lms/djangoapps/courseware/field_overrides.py (``OverrideFieldData``,
``OverrideModulestoreFieldData``, ``disable_overrides``, ``resolve_dotted``, ``_lineage``; commit
e57a655d77b6) with edx-django-utils' real ``DEFAULT_REQUEST_CACHE``, and from
xmodule/modulestore/inheritance.py (``InheritanceMixin``'s ``visible_to_staff_only`` field and
``InheritingFieldData``). The LMS puts ``OverrideModulestoreFieldData.wrap`` in
``XBLOCK_FIELD_DATA_WRAPPERS`` (lms/envs/production.py), and the split modulestore applies every
wrapper to each block it loads (``for wrapper in self.modulestore.xblock_field_data_wrappers``).

Only the inheritable field our blocks meet is declared (``visible_to_staff_only``: "If true, can
be seen only by course staff, regardless of start date."), which is what ``has_access(user,
'load', block)`` reads (lms/djangoapps/courseware/access.py, ``_visible_to_nonstaff_users``).
"""
import threading
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager

from django.conf import settings
from edx_django_utils.cache import DEFAULT_REQUEST_CACHE, RequestCache
from xblock.core import XBlockMixin
from xblock.field_data import FieldData
from xblock.fields import Boolean, Scope
from xblock.runtime import KvsFieldData

NOTSET = object()
ENABLED_OVERRIDE_PROVIDERS_KEY = 'lms.djangoapps.courseware.field_overrides.enabled_providers.{course_id}'
ENABLED_MODULESTORE_OVERRIDE_PROVIDERS_KEY = 'lms.djangoapps.courseware.modulestore_field_overrides.\
    enabled_providers.{course_id}'


class InheritanceMixin(XBlockMixin):
    """xmodule/modulestore/inheritance.py, ``InheritanceMixin`` (the one field we need)."""
    visible_to_staff_only = Boolean(
        help="If true, can be seen only by course staff, regardless of start date.",
        default=False,
        scope=Scope.settings,
    )


class InheritingFieldData(KvsFieldData):
    """xmodule/modulestore/inheritance.py, ``InheritingFieldData``."""

    def __init__(self, inheritable_names, **kwargs):
        super().__init__(**kwargs)
        self.inheritable_names = set(inheritable_names)

    def default(self, block, name):
        """The default for an inheritable name is found on a parent."""
        if name in self.inheritable_names:
            field = block.fields[name]
            ancestor = block.get_parent()
            while ancestor is not None:
                if field.is_set_on(ancestor):
                    return field.read_json(ancestor)
                ancestor = ancestor.get_parent()
        return super().default(block, name)


def resolve_dotted(name):
    names = name.split('.')
    path = names.pop(0)
    target = __import__(path)
    while names:
        segment = names.pop(0)
        path += '.' + segment
        try:
            target = getattr(target, segment)
        except AttributeError:
            __import__(path)
            target = getattr(target, segment)
    return target


def _lineage(block):
    parent = block.get_parent()
    while parent:
        yield parent
        parent = parent.get_parent()


class _OverridesDisabled(threading.local):
    disabled = ()


_OVERRIDES_DISABLED = _OverridesDisabled()


@contextmanager
def disable_overrides():
    prev = _OVERRIDES_DISABLED.disabled
    _OVERRIDES_DISABLED.disabled += (True,)
    try:
        yield
    finally:
        _OVERRIDES_DISABLED.disabled = prev


def overrides_disabled():
    return bool(_OVERRIDES_DISABLED.disabled)


class FieldOverrideProvider(metaclass=ABCMeta):
    def __init__(self, user, fallback_field_data):
        self.user = user
        self.fallback_field_data = fallback_field_data

    @abstractmethod
    def get(self, block, name, default):  # pragma no cover
        raise NotImplementedError

    @abstractmethod
    def enabled_for(self, course):  # pragma no cover
        return False


class OverrideFieldData(FieldData):
    provider_classes = None

    @classmethod
    def wrap(cls, user, course, wrapped):
        if cls.provider_classes is None:
            cls.provider_classes = tuple(resolve_dotted(name) for name in settings.FIELD_OVERRIDE_PROVIDERS)
        enabled_providers = cls._providers_for_course(course)
        if enabled_providers:
            return cls(user, wrapped, enabled_providers)
        return wrapped

    @classmethod
    def _providers_for_course(cls, course):
        request_cache = DEFAULT_REQUEST_CACHE
        if course is None:
            cache_key = ENABLED_OVERRIDE_PROVIDERS_KEY.format(course_id='None')
        else:
            cache_key = ENABLED_OVERRIDE_PROVIDERS_KEY.format(course_id=str(course.id))
        enabled_providers = request_cache.data.get(cache_key, NOTSET)
        if enabled_providers == NOTSET:
            enabled_providers = tuple(
                provider_class for provider_class in cls.provider_classes if provider_class.enabled_for(course)
            )
            request_cache.data[cache_key] = enabled_providers
        return enabled_providers

    def __init__(self, user, fallback, providers):  # pylint: disable=super-init-not-called
        self.fallback = fallback
        self.providers = tuple(provider(user, fallback) for provider in providers)

    def get_override(self, block, name):
        if not overrides_disabled():
            for provider in self.providers:
                value = provider.get(block, name, NOTSET)
                if value is not NOTSET:
                    return value
        return NOTSET

    def get(self, block, name):
        value = self.get_override(block, name)
        if value is not NOTSET:
            return value
        return self.fallback.get(block, name)

    def set(self, block, name, value):
        self.fallback.set(block, name, value)

    def delete(self, block, name):
        self.fallback.delete(block, name)

    def has(self, block, name):
        if not self.providers:
            return self.fallback.has(block, name)
        has = self.get_override(block, name)
        if has is NOTSET:
            inheritable = list(InheritanceMixin.fields.keys())
            if name in inheritable:
                for ancestor in _lineage(block):
                    if self.get_override(ancestor, name) is not NOTSET:
                        return False
        return has is not NOTSET or self.fallback.has(block, name)

    def set_many(self, block, update_dict):
        return self.fallback.set_many(block, update_dict)

    def default(self, block, name):
        if self.providers and not overrides_disabled():
            inheritable = list(InheritanceMixin.fields.keys())
            if name in inheritable:
                for ancestor in _lineage(block):
                    value = self.get_override(ancestor, name)
                    if value is not NOTSET:
                        return value
        return self.fallback.default(block, name)


class OverrideModulestoreFieldData(OverrideFieldData):
    """Apply field data overrides at the modulestore level. No student context required."""
    provider_classes = None

    @classmethod
    def wrap(cls, block, field_data):  # pylint: disable=arguments-differ
        if cls.provider_classes is None:
            cls.provider_classes = [
                resolve_dotted(name) for name in settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS
            ]
        enabled_providers = cls._providers_for_block(block)
        if enabled_providers:
            return cls(field_data, enabled_providers)
        return field_data

    @classmethod
    def _providers_for_block(cls, block):
        course_id = str(block.location.course_key)
        cache_key = ENABLED_MODULESTORE_OVERRIDE_PROVIDERS_KEY.format(course_id=course_id)
        request_cache = DEFAULT_REQUEST_CACHE
        enabled_providers = request_cache.data.get(cache_key)
        if enabled_providers is None:
            enabled_providers = [
                provider_class for provider_class in cls.provider_classes if provider_class.enabled_for(block)
            ]
            request_cache.data[cache_key] = enabled_providers
        return enabled_providers

    def __init__(self, fallback, providers):
        super().__init__(None, fallback, providers)


def new_request():
    """What the platform's request-cache middleware does between requests (and, for the tier,
    forget the provider classes so that a test may change the settings). Every namespace, as
    edx-django-utils' RequestCacheMiddleware does (cache/middleware.py,
    ``RequestCache.clear_all_namespaces``): edx-toggles keeps a switch's value in "waffle"."""
    RequestCache.clear_all_namespaces()
    OverrideFieldData.provider_classes = None
    OverrideModulestoreFieldData.provider_classes = None
