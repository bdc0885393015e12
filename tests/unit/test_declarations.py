"""Each feature declares its own actions and settings (core/registry.py finds them); the core
lists them all (``manage.py vnot_rules``), and docs/permissions.md is that list."""
import io
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command

from vn_online_teaching.apps import check_settings
from vn_online_teaching.core import config, registry
from vn_online_teaching.core.registry import Action, DeclarationError, Feature, Setting, UnknownSetting

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "permissions.md"


def command(*args):
    out = io.StringIO()
    call_command("vnot_rules", *args, stdout=out)
    return out.getvalue()


# ------------------------------------------------------------------ the generated page

def test_docs_permissions_is_what_the_command_prints():
    """Regenerate with: manage.py vnot_rules --markdown --output docs/permissions.md"""
    assert DOC.read_text(encoding="utf-8") == command("--markdown")


def test_the_output_option_writes_the_same_page(tmp_path):
    target = tmp_path / "permissions.md"
    assert command("--markdown", "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8") == command("--markdown")


def test_the_listing_names_every_action_and_setting_with_its_feature():
    text = command()
    catalog = registry.catalog()
    for name in list(catalog.actions) + list(catalog.settings):
        line = next(ln for ln in text.splitlines() if ln.startswith(name + " "))
        assert f" {catalog.owners[name]} " in line, line
    withdraw = next(ln for ln in text.splitlines() if ln.startswith("material.withdraw "))
    assert "yes" in withdraw.split("school", 1)[1]  # owner only
    assert "20971520" in next(ln for ln in text.splitlines() if ln.startswith("MAX_ATTACHMENT_BYTES "))


# ------------------------------------------------------------------ who declares what

def test_the_features_are_found_by_their_access_module():
    assert registry.discover() == ["archive", "assessment", "attendance", "material"]
    assert [f.name for f in registry.catalog().features] == ["core", "archive", "assessment", "attendance", "material"]


@pytest.mark.parametrize("name, owner", [
    ("audit.verify", "core"), ("material.approve", "material"), ("attendance.manage", "attendance"),
    ("TIME_ZONE", "core"), ("SCHOOL_YEAR_START", "core"), ("MAX_REQUEST_BYTES", "core"),
    ("COURSE_ROLE_FALLBACK", "core"), ("DEFAULT_ORG", "core"), ("DEFAULT_COURSE_KEY", "core"),
    ("ALLOW_SAME_PERSON_REVIEW", "material"), ("MAX_ATTACHMENT_BYTES", "material"),
    ("MATERIALS_TARGET_PER_SEMESTER", "material"), ("PERIOD_MINUTES", "attendance"),
    ("CHECKIN_GRACE_MIN", "attendance"), ("CHECKIN_MAX_WRONG_CODES", "attendance"), ("HOLIDAYS", "attendance"),
    ("PROMOTION_ABSENT_SESSIONS", "attendance"), ("IMPORT_PRESENT_SHARE", "attendance"),
    ("MAX_REPORT_BYTES", "attendance"),
])
def test_each_name_belongs_to_its_feature(name, owner):
    assert registry.catalog().owners[name] == owner


def test_every_feature_action_is_named_after_its_feature():
    catalog = registry.catalog()
    for name, owner in catalog.owners.items():
        if name in catalog.actions and owner != "core":
            assert name.startswith(owner + "."), name


def test_the_feature_constants_are_the_declared_actions():
    from vn_online_teaching.attendance import access as attendance
    from vn_online_teaching.material import access as material

    assert {attendance.MANAGE, attendance.VIEW_STAFF, attendance.REPORT} == set(attendance.ACTIONS)
    assert material.EDIT in material.ACTIONS and material.APPROVE in material.ACTIONS


# ------------------------------------------------------------------ a new feature needs no core edit

def make_package(root, name, files):
    for path, text in files.items():
        target = root / name / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return name


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package of blocks written on the fly: a feature ``quiz`` and a folder that is not one."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name = make_package(tmp_path, "vnot_fake_blocks", {
        "__init__.py": "",
        "quiz/__init__.py": "",
        "quiz/access.py": """
            from vn_online_teaching.core.registry import Action
            ACTIONS = {"quiz.take": Action({"teacher"}, by_subject=True, doc="Take a quiz")}
        """,
        "quiz/settings.py": """
            from vn_online_teaching.core.registry import Setting
            SETTINGS = {"QUIZ_MINUTES": Setting(15, "Length of a quiz")}
        """,
        "demo/__init__.py": "",
        "demo/settings.py": "raise RuntimeError('not a feature: never imported')\n",
    })
    yield name
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def test_a_new_feature_is_found_by_its_access_module_alone(package):
    assert registry.discover(package) == ["quiz"]
    catalog = registry.load(package)
    assert catalog.actions["quiz.take"] == Action({"teacher"}, by_subject=True, doc="Take a quiz")
    assert catalog.settings["QUIZ_MINUTES"].default == 15
    assert catalog.owners["quiz.take"] == catalog.owners["QUIZ_MINUTES"] == "quiz"
    assert "TIME_ZONE" in catalog.settings and "audit.verify" in catalog.actions  # the core's too


@pytest.mark.parametrize("feature, message", [
    (Feature("quiz", actions={"material.take": Action({"teacher"})}), "must be named 'quiz.<verb>'"),
    (Feature("quiz", actions={"quiz.take": Action({"janitor"})}), "unknown roles ['janitor']"),
    (Feature("quiz", actions={"quiz.take": ({"teacher"}, True)}), "not declared with registry.Action"),
    (Feature("quiz", settings={"TIME_ZONE": Setting("UTC")}), "declared by both core and quiz"),
    (Feature("quiz", settings={"quiz_minutes": Setting(15)}), "not a usable setting name"),
    (Feature("quiz", settings={"ORGS": Setting({})}), "not a usable setting name"),
    (Feature("quiz", settings={"QUIZ_MINUTES": 15}), "not declared with registry.Setting"),
    (Feature("quiz", actions={"audit.verify": Action({"teacher"})}), "must be named 'quiz.<verb>'"),
])
def test_faulty_declarations_are_refused_naming_the_feature(feature, message):
    from vn_online_teaching.core.roles import ROLES

    core = registry.catalog().features[0]
    with pytest.raises(DeclarationError) as exc:
        registry.build([core, feature], ROLES)
    assert "quiz" in str(exc.value) and message in str(exc.value)


def test_two_features_cannot_declare_the_same_setting():
    one = Feature("quiz", settings={"SHARED": Setting(1)})
    two = Feature("exam", settings={"SHARED": Setting(2)})
    with pytest.raises(DeclarationError, match="SHARED.*both quiz and exam"):
        registry.build([one, two], ())


# ------------------------------------------------------------------ reading settings

def test_a_feature_setting_is_read_through_the_core(settings):
    assert config.get("CHECKIN_GRACE_MIN") == 5
    assert config.get("MAX_ATTACHMENTS", "THPTNamLoi") == 20
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, CHECKIN_GRACE_MIN=7,
                                       ORGS={"THPTNamLoi": {"MAX_ATTACHMENTS": 3}})
    assert config.get("CHECKIN_GRACE_MIN") == 7
    assert config.get("MAX_ATTACHMENTS", "THPTNamLoi") == 3
    assert config.get("MAX_ATTACHMENTS", "THPTKhac") == 20


@pytest.mark.parametrize("name", ["CHECKIN_GRACE_MINS", "checkin_grace_min", ""])
def test_an_unknown_setting_is_an_error_that_names_it(name, settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, CHECKIN_GRACE_MINS=1)  # configured, not declared
    with pytest.raises(UnknownSetting) as exc:
        config.get(name, "THPTNamLoi")
    assert isinstance(exc.value, KeyError)
    assert str(exc.value).startswith(f"Unknown setting {name!r}")


def test_a_feature_setting_is_known_before_the_feature_is_imported():
    """A fresh interpreter with bare Django settings (no app loaded, attendance never imported)."""
    code = textwrap.dedent("""
        import sys
        from django.conf import settings
        settings.configure()
        from vn_online_teaching.core import config
        assert not [m for m in sys.modules if m.startswith("vn_online_teaching.attendance")]
        print(config.get("CHECKIN_GRACE_MIN"), config.get("ALLOW_SAME_PERSON_REVIEW", "THPTNamLoi"))
    """)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["5", "False"]


def test_a_misspelt_key_in_the_django_setting_is_reported_at_start_up(settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, CHECKIN_GRACE_MINS=1,
                                       ORGS={"THPTNamLoi": {"MAX_ATTACHMENT": 5, "MAX_ATTACHMENTS": 5}})
    warnings = check_settings()
    assert [w.id for w in warnings] == ["vn_online_teaching.W001"] * 2
    assert "CHECKIN_GRACE_MINS" in warnings[0].msg and "ORGS['THPTNamLoi']['MAX_ATTACHMENT']" in warnings[1].msg


def test_the_demo_settings_use_only_declared_keys():
    assert check_settings() == []
