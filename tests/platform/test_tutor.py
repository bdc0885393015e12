"""The Tutor plugin (xblocks/vn_online_teaching/tutor_plugin.py), with the real ``tutor`` package.

Tutor lives in its own environment (scripts/tutor-venv.sh: requirements/tutor.txt, our package
installed there for its ``tutor.plugin.v1`` entry point only). Each test works on projects rendered
by the real CLI into temporary roots (``TUTOR_ROOT``): ``tutor config save`` then ``tutor plugins
enable vn_online_teaching``. Tutor's own templates are the reference (overhangio/tutor v22.0.3,
tutor/templates): build/openedx/Dockerfile (stage ``python-requirements`` with the patch
``openedx-dockerfile-post-python-requirements``; the translation pull ``pull_xblock_translations``
then ``{{ patch("openedx-dockerfile-pre-assets") }}``), apps/openedx/settings/{lms,cms}/production.py
(partials common_all.py with ``openedx-common-settings``, common_lms.py with
``openedx-lms-common-settings``), apps/caddy/Caddyfile (``caddyfile-lms`` before
``handle_path /* { request_body { max_size 4MB } }``), jobs/init/lms.sh, and tutor/commands/jobs.py
(``tutor local do init`` runs each ``CLI_DO_INIT_TASKS`` script in its service's job container).
"""
import ast
import gettext
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.test import override_settings

import platform_parts as parts
from runtime import make_user
from vn_online_teaching import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xblocks" / "vn_online_teaching"
PLUGIN = "vn_online_teaching"
HANDLER_PATH = ("/courses/course-v1:SoGD+TOAN10+2025/xblock/block-v1:SoGD+TOAN10+2025+type@{block}+block@b1"
                "/handler/{handler}")


@pytest.fixture(scope="session")
def tutor_bin():
    """The ``tutor`` command of the tier's Tutor environment (made now if missing)."""
    given = os.environ.get("VNOT_TUTOR")
    if given:
        return Path(given)
    venv = Path(os.environ.get("VIRTUAL_ENV") or Path(sys.executable).parents[1])
    out = subprocess.run(["bash", str(ROOT / "scripts" / "tutor-venv.sh")], cwd=ROOT, check=True,
                         env={**os.environ, "VENV": str(venv)}, stdout=subprocess.PIPE, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


class Project:
    """A Tutor project in a temporary root, driven by the real CLI."""

    def __init__(self, tutor_bin, root):
        self.tutor_bin, self.root = tutor_bin, root
        self.env = {**os.environ, "HOME": str(root / "home"), "TUTOR_ROOT": str(root / "tutor"),
                    "TUTOR_PLUGINS_ROOT": str(root / "plugins")}
        for name in ("VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"):
            self.env.pop(name, None)

    def run(self, *args, env=None):
        done = subprocess.run([str(self.tutor_bin), *args], env={**self.env, **(env or {})}, cwd=self.root,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"tutor {' '.join(args)}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def file(self, relative):
        return (self.root / "tutor" / "env" / relative).read_text(encoding="utf-8")


def make_project(tutor_bin, root, *settings):
    project = Project(tutor_bin, root)
    project.run("config", "save", *[a for s in settings for a in ("--set", s)])
    project.run("plugins", "enable", PLUGIN)
    return project


@pytest.fixture(scope="module")
def project(tutor_bin, tmp_path_factory):
    """A project with the plugin enabled and Tutor's defaults."""
    return make_project(tutor_bin, tmp_path_factory.mktemp("tutor"))


@pytest.fixture(scope="module")
def school_project(tutor_bin, tmp_path_factory):
    """A project whose operator set the school's values and their own pip requirements."""
    return make_project(
        tutor_bin, tmp_path_factory.mktemp("tutor-school"),
        "VN_ONLINE_TEACHING_TIME_ZONE=Asia/Bangkok",
        "VN_ONLINE_TEACHING_LMS_UPLOAD_MAX_MB=25",
        'VN_ONLINE_TEACHING_SETTINGS={"MAX_REPORT_BYTES": 5000000, "ORGS": {"THPT-A": {"SCHOOL_YEAR_START": [9, 5]}}}',
        "VN_ONLINE_TEACHING_PIP_REQUIREMENT=openedx-vn-online-teaching @ git+https://example.org/vnot.git@v0.1.0",
        'OPENEDX_EXTRA_PIP_REQUIREMENTS=["xblock-poll==1.14.0"]',
    )


def our_block(text, start):
    """The lines of our patch that begins with the comment ``start``, up to a blank line."""
    i = text.index(start)
    end = text.find("\n\n", i)
    return text[i:end if end != -1 else None]


def test_tutor_finds_the_plugin_by_its_entry_point(project):
    """tutor/plugins/v1.py ``_discover_entrypoint_plugins``: entry points of ``tutor.plugin.v1``."""
    assert re.search(rf"^{PLUGIN}\t.*enabled\t{re.escape(__version__)}$", project.run("plugins", "list"), re.M)


def test_settings_give_the_blocks_the_school_settings_in_the_lms_and_studio(project, school_project):
    """Tutor's apps/openedx/settings/{lms,cms}/{production,development}.py include
    partials/common_all.py, which ends with ``{{ patch("openedx-common-settings") }}``, after
    ``from lms.envs.production import *`` (our plugin settings have run)."""
    for service in ("lms", "cms"):
        for kind in ("production", "development"):
            code = our_block(project.file(f"apps/openedx/settings/{service}/{kind}.py"),
                             "# openedx-vn-online-teaching: the school's settings")
            namespace = {"VN_ONLINE_TEACHING": {"COURSE_ROLE_FALLBACK": False}}
            exec(code, namespace)  # noqa: S102 - our rendered patch, as the settings module runs it
            assert namespace["VN_ONLINE_TEACHING"] == {"COURSE_ROLE_FALLBACK": False, "TIME_ZONE": "Asia/Ho_Chi_Minh"}

    code = our_block(school_project.file("apps/openedx/settings/lms/production.py"),
                     "# openedx-vn-online-teaching: the school's settings")
    namespace = {}
    exec(code, namespace)  # noqa: S102
    assert namespace["VN_ONLINE_TEACHING"] == {
        "TIME_ZONE": "Asia/Bangkok", "MAX_REPORT_BYTES": 5000000, "ORGS": {"THPT-A": {"SCHOOL_YEAR_START": [9, 5]}}}


def test_the_lms_lets_our_uploads_through_its_handler_check(project, school_project):
    """block_render.py ``_check_files_limits`` refuses any handler upload over
    ``STUDENT_FILEUPLOAD_MAX_SIZE`` (lms/envs/common.py: 4 * 1000 * 1000)."""
    start = "# openedx-vn-online-teaching: files sent to our blocks' LMS handlers pass"
    for proj, expected in ((project, 10_000_000), (school_project, 25_000_000)):
        code = our_block(proj.file("apps/openedx/settings/lms/production.py"), start)
        for before, after in ((4 * 1000 * 1000, expected), (50_000_000, 50_000_000)):
            namespace = {"STUDENT_FILEUPLOAD_MAX_SIZE": before}
            exec(code, namespace)  # noqa: S102
            assert namespace["STUDENT_FILEUPLOAD_MAX_SIZE"] == after
        assert start not in proj.file("apps/openedx/settings/cms/production.py")


def stage(dockerfile, name):
    """The text of one stage of a multi-stage Dockerfile."""
    stages = re.split(r"^FROM ", dockerfile, flags=re.M)
    (found,) = [s for s in stages if re.match(rf"\S+ AS {name}\s", s)]
    return found


def test_the_image_installs_the_package_beside_the_operators_requirements(project, school_project):
    """build/openedx/Dockerfile, stage ``python-requirements``: the patch
    ``openedx-dockerfile-post-python-requirements``, then one ``pip install`` per item of the
    operator's ``OPENEDX_EXTRA_PIP_REQUIREMENTS``."""
    requirements = stage(project.file("build/openedx/Dockerfile"), "python-requirements")
    assert f"$PIP_COMMAND install 'openedx-vn-online-teaching=={__version__}'" in requirements

    requirements = stage(school_project.file("build/openedx/Dockerfile"), "python-requirements")
    assert "install 'openedx-vn-online-teaching @ git+https://example.org/vnot.git@v0.1.0'" in requirements
    assert "install 'xblock-poll==1.14.0'" in requirements


def catalog_command(dockerfile):
    """Our RUN line of the production stage, as the shell command the build runs."""
    production = stage(dockerfile, "production")
    block = our_block(production, "# openedx-vn-online-teaching: the translation pull")
    run = " ".join(line.rstrip("\\").strip() for line in block.splitlines() if not line.startswith("#"))
    assert run.startswith("RUN ")
    return production, run[len("RUN "):]


def test_the_image_puts_our_catalog_where_the_lms_reads_it_after_the_translation_pull(project, course, tmp_path):
    """xmodule/modulestore/django.py ``XBlockI18nService.get_python_locale``: once the pull made
    ``conf/plugins-locale/xblock.v1/vn_online_teaching`` it reads only there (domain ``django``)."""
    production, command = catalog_command(project.file("build/openedx/Dockerfile"))
    ours = production.index("# openedx-vn-online-teaching: the translation pull")
    assert production.index("pull_xblock_translations") < ours
    assert production.index("compile_xblock_translations") < ours
    assert ours < production.index("npm run compile-sass")

    platform = tmp_path / "edx-platform"
    atlas = platform / "conf" / "plugins-locale" / "xblock.v1" / "vn_online_teaching"
    atlas.mkdir(parents=True)  # what the pull leaves: the folder, without our Vietnamese
    usage = course.add("session_attendance")
    block = course.lms(make_user("hs_an")).get_block(usage)
    with override_settings(REPO_ROOT=str(platform)), _language("vi"):
        assert not isinstance(parts.XBlockI18nService(block).translator, gettext.GNUTranslations)
        subprocess.run(["bash", "-e", "-c", command], cwd=platform, check=True,
                       env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
        service = parts.XBlockI18nService(block)
        assert isinstance(service.translator, gettext.GNUTranslations)
        assert service.gettext("Present") == "Có mặt"
    shipped = PACKAGE / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
    assert (atlas / "vi" / "LC_MESSAGES" / "django.mo").read_bytes() == shipped.read_bytes()


def _language(code):
    from django.utils import translation

    return translation.override(code)


FAKE_DOCKER = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["FAKE_DOCKER_LOG"], "a", encoding="utf-8") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
if "ls" in sys.argv[1:]:
    print("[]")
"""


def test_init_runs_our_migrations_and_turns_completion_on(project, tmp_path):
    """``tutor local do init`` with a stand-in ``docker`` that records what it is asked to run."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER)
    (bin_dir / "docker").chmod(0o755)
    log = tmp_path / "docker.log"
    project.run("local", "do", "init", f"--limit={PLUGIN}",
                env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_DOCKER_LOG": str(log)})
    runs = [args for args in map(json.loads, log.read_text().splitlines()) if "run" in args]
    (args,) = runs
    assert "lms-job" in args and args[-3:-1] == ["-e", "-c"]
    script = args[-1]
    assert "./manage.py lms migrate vn_online_teaching" in script
    assert "./manage.py lms waffle_switch --create completion.enable_completion_tracking on" in script


def upload_handlers():
    """The names of our blocks' upload handlers (core/web.py ``upload_api`` marks them)."""
    from vn_online_teaching.attendance.block import SessionAttendanceBlock
    from vn_online_teaching.material.block import ApprovedMaterialBlock

    return {name for cls in (ApprovedMaterialBlock, SessionAttendanceBlock) for name in dir(cls)
            if getattr(getattr(cls, name, None), "kind", None) == "upload"}


def test_caddy_patch_names_every_upload_handler(project):
    """Every handler that takes a file (core/web.py ``upload_api``) has its Caddy limit: the LMS
    checks each handler upload (block_render.py ``_check_files_limits``) behind Caddy's 4 MB."""
    caddyfile = project.file("apps/caddy/Caddyfile")
    named = set(re.findall(r"handle_path /courses/\*/xblock/\*/handler/(\w+) \{", caddyfile))
    assert named == upload_handlers()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Upstream(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(self.path.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def caddy(project, tutor_bin, tmp_path_factory):
    """Tutor's rendered Caddyfile served by Caddy itself, the version of Tutor's image. Changed
    only where a test must: global options (no admin endpoint, no HTTPS, our port) and the
    LMS's and Studio's addresses (a local stand-in that reads the body and answers its path)."""
    caddy_bin = tutor_bin.parent / "caddy"
    image = project.run("config", "printvalue", "DOCKER_IMAGE_CADDY").strip()
    assert subprocess.run([str(caddy_bin), "version"], capture_output=True, text=True,
                          check=True).stdout.startswith("v" + image.rsplit(":", 1)[1])
    port, upstream_port = free_port(), free_port()
    upstream = HTTPServer(("127.0.0.1", upstream_port), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    text = project.file("apps/caddy/Caddyfile")
    text = text.replace("# Global configuration\n{", f"# Global configuration\n{{\n    admin off\n    auto_https off\n"
                                                     f"    http_port {port}\n", 1)
    for service in ("lms:8000", "cms:8000"):
        assert f'import proxy "{service}"' in text
        text = text.replace(f'import proxy "{service}"', f'import proxy "127.0.0.1:{upstream_port}"')
    folder = tmp_path_factory.mktemp("caddy")
    (folder / "Caddyfile").write_text(text)
    process = subprocess.Popen([str(caddy_bin), "run", "--adapter", "caddyfile", "--config", "Caddyfile"],
                               cwd=folder, env={**os.environ, "default_site_port": f":{port}", "HOME": str(folder)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hosts = {"lms": project.run("config", "printvalue", "LMS_HOST").strip(),
             "cms": project.run("config", "printvalue", "CMS_HOST").strip()}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield lambda service, path, size: _post(port, hosts[service], path, size)
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()


def _post(port, host, path, size):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=b"x" * size, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    except (BrokenPipeError, ConnectionResetError):
        return 413, ""  # Caddy answered 413 and closed before the whole body was sent
    finally:
        connection.close()


def test_caddy_lets_larger_files_through_on_our_upload_handlers_only(caddy):
    """Tutor's Caddyfile caps LMS request bodies at 4 MB (``handle_path /*``); our handlers get
    ``VN_ONLINE_TEACHING_LMS_UPLOAD_MAX_MB`` (10) + 1 MB for the rest of the form, with the
    request's path unchanged on its way to the LMS."""
    report = HANDLER_PATH.format(block="session_attendance", handler="import_report")
    assert caddy("lms", report, 6_000_000) == (200, report)
    assert caddy("lms", report, 12_000_000)[0] == 413
    other = HANDLER_PATH.format(block="session_attendance", handler="check_in")
    assert caddy("lms", other, 6_000_000)[0] == 413
    assert caddy("lms", other, 1_000) == (200, other)
    preview = "/preview/xblock/block-v1:SoGD+TOAN10+2025+type@approved_material+block@b1/handler/upload_attachment/"
    assert caddy("cms", preview, 20_000_000) == (200, preview)


def test_only_the_tutor_plugin_imports_tutor():
    """tutor/plugins/v1.py ``discover_package`` imports an entry point's module only when the plugin
    is loaded; the LMS never imports it."""
    """The package runs where Tutor is not installed (this environment has none)."""
    importers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n == "tutor" or n.startswith("tutor.") for n in names):
                importers.append(path.relative_to(PACKAGE).as_posix())
    assert importers == ["tutor_plugin.py"]
    assert shutil.which("tutor", path=str(Path(sys.executable).parent)) is None
