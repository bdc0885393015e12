"""Issue 9, point 1: the LMS and Studio start with our plugin installed, and our catalog is
reached without touching the platform's locale settings.

Our ``plugin_app`` is loaded by edx-django-utils' own plugin machinery (``get_plugin_apps``,
``add_plugins``: edx_django_utils/plugins/plugin_apps.py and plugin_settings.py) into settings
modules shaped like the platform's, with the platform's ``Derived`` (platform_derived.py, a copy
of openedx-platform openedx/core/lib/derived.py) and ``LOCALE_PATHS = Derived(_make_locale_paths)``
(openedx/envs/common.py). The phases run in the orders the platform uses:

- lms/envs/common.py ends with ``add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)``
  (cms/envs/common.py likewise); lms/envs/production.py and cms/envs/production.py then call
  ``derive_settings(__name__)`` and ``add_plugins(..., SettingsType.PRODUCTION)``;
- lms/envs/test.py: ``add_plugins(..., SettingsType.TEST)`` then ``derive_settings(__name__)``;
- older releases' production.py: ``add_plugins(..., PRODUCTION)`` before ``derive_settings``.
"""
import sys
import types

import polib
import pytest
from django.test import override_settings
from django.utils import translation
from edx_django_utils.plugins import add_plugins, get_plugin_apps

from platform_derived import Derived, derive_settings
from platform_envs import ProjectType, SettingsType, common_settings
from vn_online_teaching import settings as plugin

PROVIDER = "vn_online_teaching.material.visibility.UnapprovedMaterialOverrideProvider"

COMMON, TEST, PRODUCTION = SettingsType.COMMON, SettingsType.TEST, SettingsType.PRODUCTION
DERIVE = "derive"
ORDERS = {
    "production": (COMMON, DERIVE, PRODUCTION),
    "test": (COMMON, TEST, DERIVE),
    "older production": (COMMON, PRODUCTION, DERIVE),
}


def start(project_type, order, **operator):
    """A settings module built as the platform builds it, our plugin found by its entry point."""
    name = f"platform_probe_{project_type.split('.')[0]}_{order.replace(' ', '_')}"
    module = types.ModuleType(name)
    vars(module).update(common_settings("lms" if project_type == ProjectType.LMS else "cms"), **operator)
    sys.modules[name] = module
    try:
        module.INSTALLED_APPS.extend(get_plugin_apps(project_type))
        for phase in ORDERS[order]:
            if phase == DERIVE:
                derive_settings(name)
            else:
                add_plugins(name, project_type, phase)
    finally:
        del sys.modules[name]
    return module


@pytest.mark.parametrize("project_type", [ProjectType.LMS, ProjectType.CMS])
@pytest.mark.parametrize("order", list(ORDERS))
def test_lms_and_studio_start_with_our_plugin(project_type, order):
    """Before the fix our COMMON settings did ``list(settings.LOCALE_PATHS)`` on a ``Derived``:
    TypeError at every start of the LMS and Studio, and in Tutor's image build."""
    settings = start(project_type, order)

    assert "vn_online_teaching.apps.VnOnlineTeachingConfig" in settings.INSTALLED_APPS
    assert settings.VN_ONLINE_TEACHING == {}
    assert not isinstance(settings.LOCALE_PATHS, Derived)
    # the platform's own locale folders, as _make_locale_paths makes them: ours are not there
    assert settings.LOCALE_PATHS == [settings.REPO_ROOT + "/conf/locale"]
    assert settings.PREPEND_LOCALE_PATHS == []
    assert settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS == (PROVIDER,)


@pytest.mark.parametrize("before, after", [
    (("platform.Provider",), ("platform.Provider", PROVIDER)),
    (["platform.Provider"], ["platform.Provider", PROVIDER]),
    ((PROVIDER,), (PROVIDER,)),
])
def test_our_provider_is_added_once_to_what_the_platform_lists(before, after):
    """lms/envs/common.py defines ``MODULESTORE_FIELD_OVERRIDE_PROVIDERS`` as a tuple before the
    COMMON plugin settings; production.py adds to it with ``+=``. Ours is added once, the type
    kept, even if the settings function runs twice."""
    settings = types.SimpleNamespace(MODULESTORE_FIELD_OVERRIDE_PROVIDERS=before)
    plugin.plugin_settings(settings)
    plugin.plugin_settings(settings)
    assert settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS == after


def test_a_setting_still_derived_is_not_read_before_it_is_derived():
    """Were the list a ``Derived`` (as ``LOCALE_PATHS`` is), it is not iterated in the COMMON phase;
    what it derives to gets our provider."""
    name = "platform_probe_derived_providers"
    module = types.ModuleType(name)
    module.BASE = ("platform.Provider",)
    module.MODULESTORE_FIELD_OVERRIDE_PROVIDERS = Derived(lambda s: s.BASE)
    sys.modules[name] = module
    try:
        plugin.plugin_settings(module)
        assert isinstance(module.MODULESTORE_FIELD_OVERRIDE_PROVIDERS, Derived)
        derive_settings(name)
    finally:
        del sys.modules[name]
    assert module.MODULESTORE_FIELD_OVERRIDE_PROVIDERS == ("platform.Provider", PROVIDER)


def test_our_plugin_keeps_what_the_operator_set():
    """A ``VN_ONLINE_TEACHING`` already set when our COMMON settings run is kept, not replaced."""
    school = {"TIME_ZONE": "Asia/Ho_Chi_Minh", "ORGS": {"THPT-A": {"TIME_ZONE": "Asia/Bangkok"}}}
    settings = start(ProjectType.LMS, "production", VN_ONLINE_TEACHING=school)
    assert settings.VN_ONLINE_TEACHING == school


def test_the_settings_of_this_tier_are_the_platforms():
    """The tier's own settings went through the same phases (settings.py)."""
    from django.conf import settings

    assert settings.LOCALE_PATHS == [settings.REPO_ROOT + "/conf/locale"]
    assert "vn_online_teaching.apps.VnOnlineTeachingConfig" in settings.INSTALLED_APPS
    assert "completion.apps.CompletionAppConfig" in settings.INSTALLED_APPS


def test_django_finds_our_catalog_as_an_app_catalog():
    """Django's translation (management commands, the admin, the LMS's XBlock i18n service when
    it falls back to Django) reads our Vietnamese from the app's ``locale/`` folder, although
    ``LOCALE_PATHS`` does not name it."""
    with translation.override("vi"):
        assert translation.gettext("Present") == "Có mặt"
        assert translation.gettext("Check in") != "Check in"
    with translation.override("en"):
        assert translation.gettext("Present") == "Present"


def test_the_platforms_wording_wins_where_both_catalogs_translate(tmp_path):
    """A catalog in ``LOCALE_PATHS`` (the platform's conf/locale) outranks an app's: where the LMS
    says "Save" its own way, the site keeps its word; our strings are still ours."""
    folder = tmp_path / "conf" / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "vi"}
    catalog.append(polib.POEntry(msgid="Save", msgstr="Lưu lại"))
    catalog.save_as_mofile(str(folder / "django.mo"))

    with override_settings(LOCALE_PATHS=[str(tmp_path / "conf" / "locale")]), translation.override("vi"):
        assert translation.gettext("Save") == "Lưu lại"
        assert translation.gettext("Present") == "Có mặt"
