"""The platform's ``Derived`` settings, copied unchanged (openedx-platform:
openedx/core/lib/derived.py, ``Derived`` and ``derive_settings``, commit e57a655d77b6).

A copy, not a stand-in of our making: the platform is not pip-installable, and the point of the
tier is that a setting such as ``LOCALE_PATHS`` is one of these objects (no ``__iter__``, no
``append``) while plugin settings of the COMMON phase run, exactly as in the LMS and Studio.
"""
from __future__ import annotations

import re
import sys
import types
import typing as t

Settings: t.TypeAlias = types.ModuleType

T = t.TypeVar('T')


class Derived(t.Generic[T]):
    """
    A temporary Django setting value, defined with a function which generates the setting's eventual value.

    Said function (`calculate_value`) should accept a Django settings module, and return a calculated value.

    To ensure that application code does not encounter an instance of this class in your settings, be sure to call
    `derive_settings` somewhere in your terminal settings file.
    """
    def __init__(self, calculate_value: t.Callable[[Settings], T]):
        self.calculate_value = calculate_value


def derive_settings(module_name: str) -> None:
    """
    In the Django settings module at `module_name`, replace `Derived` values with their cacluated values.
    """
    module = sys.modules[module_name]
    _derive_dict(module, vars(module), key_filter=_key_is_a_setting_name)


_SETTING_NAME_REGEX = re.compile(r'^[A-Z][A-Z0-9_]*$')


def _key_is_a_setting_name(key: str) -> bool:
    return bool(_SETTING_NAME_REGEX.match(key))


def _match_every_key(_key: str) -> bool:
    return True


def _derive_recursively(settings: Settings, value: t.Any) -> t.Any:
    if isinstance(value, Derived):
        return value.calculate_value(settings)
    elif isinstance(value, dict):
        return _derive_dict(settings, value)
    elif isinstance(value, list):
        return _derive_list(settings, value)
    elif isinstance(value, tuple):
        return _derive_tuple(settings, value)
    elif isinstance(value, frozenset):
        return _derive_frozenset(settings, value)
    else:
        return value


def _derive_dict(settings: Settings, the_dict: dict, key_filter: t.Callable[[str], bool] = _match_every_key) -> dict:
    for key, value in the_dict.items():
        if key_filter(key):
            the_dict[key] = _derive_recursively(settings, value)
    return the_dict


def _derive_list(settings: Settings, the_list: list) -> list:
    for ix in range(len(the_list)):
        the_list[ix] = _derive_recursively(settings, the_list[ix])
    return the_list


def _derive_tuple(settings: Settings, tup: tuple) -> tuple:
    return tuple(_derive_recursively(settings, item) for item in tup)


def _derive_frozenset(settings: Settings, the_set: frozenset) -> frozenset:
    return frozenset(_derive_recursively(settings, item) for item in the_set)
