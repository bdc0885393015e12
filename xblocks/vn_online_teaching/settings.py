"""Open edX plugin settings: applied to the LMS and Studio settings at start-up."""
import os

LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conf", "locale")


def plugin_settings(settings):
    """Let Django's own code (admin, management commands) find our catalog too."""
    paths = list(getattr(settings, "LOCALE_PATHS", []) or [])
    if LOCALE_DIR not in paths:
        paths.append(LOCALE_DIR)
    settings.LOCALE_PATHS = paths
    settings.VN_ONLINE_TEACHING = getattr(settings, "VN_ONLINE_TEACHING", {}) or {}
