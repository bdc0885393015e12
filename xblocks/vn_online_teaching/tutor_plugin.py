"""The Tutor plugin of openedx-vn-online-teaching (``tutor plugins enable vn_online_teaching``).

Only Tutor imports this module (entry point ``tutor.plugin.v1``, loaded when the plugin is
enabled), so it may import ``tutor``; nothing else in the package does, and it imports nothing of
the package but its version (``__init__`` holds only that): Tutor's environment has no Django.
docs/install.md tells an operator what each setting does.

What an Open edX built by Tutor needs for our blocks, and the Tutor hook that gives it:

- the package in the image: a ``pip install`` after the platform's requirements
  (``openedx-dockerfile-post-python-requirements``). Not ``OPENEDX_EXTRA_PIP_REQUIREMENTS``: that is
  the operator's own list, and an operator who sets it would silently drop a value a plugin set;
- the Vietnamese catalog where the LMS's XBlock i18n service reads it: the image build's
  translation pull creates ``conf/plugins-locale/xblock.v1/vn_online_teaching`` without our
  Vietnamese (our catalog is not in the central translations repository), and once that folder
  exists the service reads nothing else; the patch after the pull
  (``openedx-dockerfile-pre-assets``) copies our compiled catalog into it
  (docs/decisions/0004-own-catalog-loading.md);
- our settings, with the school's time zone (``openedx-common-settings``, LMS and Studio);
- uploads to our LMS handlers larger than the platform lets through: the LMS refuses any handler
  upload over ``STUDENT_FILEUPLOAD_MAX_SIZE`` (4 MB) and Tutor's Caddy any LMS request body over
  4 MB; the plugin raises the first to ``VN_ONLINE_TEACHING_LMS_UPLOAD_MAX_MB`` (never lowers it)
  and lets bodies of that size through Caddy on our upload handlers' LMS addresses only
  (``openedx-lms-common-settings``, ``caddyfile-lms``). Studio needs nothing: its preview handler
  checks no file size, and Tutor's Caddy allows 250 MB there;
- our tables and edx-completion's switch, at ``tutor local do init``.
"""
from tutor import hooks

from . import __version__

# Our handlers that receive files (core/web.py ``upload_api``: meeting reports, attachments); the
# platform tier checks this list against the blocks.
UPLOAD_HANDLERS = ("import_report", "upload_attachment")

hooks.Filters.CONFIG_DEFAULTS.add_items([
    # What pip installs: this version from PyPI, or a wheel or git address of the operator's.
    ("VN_ONLINE_TEACHING_PIP_REQUIREMENT", f"openedx-vn-online-teaching=={__version__}"),
    # The school's time zone: deadlines and school days are decided in it.
    ("VN_ONLINE_TEACHING_TIME_ZONE", "Asia/Ho_Chi_Minh"),
    # Any other key of the VN_ONLINE_TEACHING setting (docs/permissions.md lists them).
    ("VN_ONLINE_TEACHING_SETTINGS", {}),
    # Largest file (decimal MB, as Caddy counts) a teacher sends to our blocks in the LMS.
    ("VN_ONLINE_TEACHING_LMS_UPLOAD_MAX_MB", 10),
])

PIP_INSTALL = """\
# openedx-vn-online-teaching: the blocks and their Django app
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install '{{ VN_ONLINE_TEACHING_PIP_REQUIREMENT }}'"""

CATALOGS = """\
# openedx-vn-online-teaching: the translation pull above made conf/plugins-locale/xblock.v1/vn_online_teaching
# without our Vietnamese, and the LMS reads a block's catalog only there once the folder exists
RUN package="$(python -c 'import vn_online_teaching as p; print(p.__path__[0])')" \\
    && mkdir -p conf/plugins-locale/xblock.v1/vn_online_teaching \\
    && cp -R "$package/conf/locale/." conf/plugins-locale/xblock.v1/vn_online_teaching/"""

SETTINGS = """\
# openedx-vn-online-teaching: the school's settings for the blocks
VN_ONLINE_TEACHING = {
    **(globals().get("VN_ONLINE_TEACHING") or {}),
    **{{ dict(VN_ONLINE_TEACHING_SETTINGS, TIME_ZONE=VN_ONLINE_TEACHING_TIME_ZONE) }},
}"""

LMS_SETTINGS = """\
# openedx-vn-online-teaching: files sent to our blocks' LMS handlers pass the platform's check of
# every handler upload (Caddy lets them through on those handlers only, see caddyfile-lms)
STUDENT_FILEUPLOAD_MAX_SIZE = max(
    STUDENT_FILEUPLOAD_MAX_SIZE, {{ VN_ONLINE_TEACHING_LMS_UPLOAD_MAX_MB }} * 1000 * 1000)"""

# One handle_path per handler, as Tutor limits profile images: handle_path blocks exclude each
# other and the longest path wins over Tutor's "handle_path /*" (4 MB). A wildcard path is matched,
# not stripped from the request. One MB more than the file for the rest of the form.
CADDY = "# openedx-vn-online-teaching: files sent to our blocks' LMS handlers\n" + "\n".join(
    f"""handle_path /courses/*/xblock/*/handler/{handler} {{
    request_body {{
        max_size {{{{ VN_ONLINE_TEACHING_LMS_UPLOAD_MAX_MB + 1 }}}}MB
    }}
}}""" for handler in UPLOAD_HANDLERS)

hooks.Filters.ENV_PATCHES.add_items([
    ("openedx-dockerfile-post-python-requirements", PIP_INSTALL),
    ("openedx-dockerfile-pre-assets", CATALOGS),
    ("openedx-common-settings", SETTINGS),
    ("openedx-lms-common-settings", LMS_SETTINGS),
    ("caddyfile-lms", CADDY),
])

INIT = """\
# openedx-vn-online-teaching: our tables (the platform's migrate makes them too; this names them)
./manage.py lms migrate vn_online_teaching
# completion ticks for our blocks need edx-completion's switch: on, unless an operator has set it
if ! ./manage.py lms waffle_switch --list | grep -q completion.enable_completion_tracking; then
    ./manage.py lms waffle_switch --create completion.enable_completion_tracking on
fi"""

hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", INIT))
