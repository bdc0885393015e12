"""The periodic-assessment feature declares its own actions and settings (assessment/access.py,
assessment/settings.py), found by core/registry.py, and the roles that hold each action."""
import pytest

from vn_online_teaching.assessment import access, scoring, timing
from vn_online_teaching.assessment import settings as assessment_settings
from vn_online_teaching.core import config, registry
from vn_online_teaching.core.roles import (HEAD, HOMEROOM, PRINCIPAL, RECORDS_OFFICER, TEACHER, Grant, Place, decide,
                                           fallback_grants, resolve)

MATHS_10A1 = Place("THPTNamLoi", "course-v1:THPTNamLoi+TOAN10+2025", subject="Toán", class_name="10A1")


def test_the_feature_is_found_by_its_access_module():
    catalog = registry.catalog()
    assert "assessment" in registry.discover()
    for name in list(access.ACTIONS) + list(assessment_settings.SETTINGS):
        assert catalog.owners[name] == "assessment", name


def test_the_constants_are_the_declared_actions():
    constants = {access.AUTHOR, access.DECIDE_REMOTE, access.SUPERVISE, access.MARK, access.CORRECT_KEY,
                 access.PUBLISH, access.VIEW_RESULTS, access.EXPORT, access.INTEGRITY_DECIDE, access.INTEGRITY_VIEW}
    assert constants == set(access.ACTIONS)
    assert all(action.doc for action in access.ACTIONS.values())


def test_the_remote_decision_is_the_head_of_schools_alone_in_any_subject():
    rule = access.ACTIONS[access.DECIDE_REMOTE]
    assert rule.roles == {PRINCIPAL} and not rule.by_subject
    assert decide([Grant(PRINCIPAL)], access.DECIDE_REMOTE, MATHS_10A1)
    for grant in (Grant(TEACHER, "Toán"), Grant(HEAD, "Toán"), Grant(RECORDS_OFFICER), Grant(HOMEROOM, "10A1")):
        assert not decide([grant], access.DECIDE_REMOTE, MATHS_10A1), grant


def test_no_course_role_fallback_reaches_the_remote_decision():
    for platform_role in ("staff", "instructor"):
        grants = resolve(fallback_grants(platform_role), MATHS_10A1, heads=[])
        assert grants and not decide(grants, access.DECIDE_REMOTE, MATHS_10A1)


@pytest.mark.parametrize("action", [access.AUTHOR, access.SUPERVISE, access.MARK, access.CORRECT_KEY,
                                    access.PUBLISH, access.VIEW_RESULTS, access.EXPORT, access.INTEGRITY_DECIDE,
                                    access.INTEGRITY_VIEW])
def test_staff_actions_follow_the_tests_subject(action):
    assert access.ACTIONS[action].by_subject
    assert decide([Grant(TEACHER, "Toán")], action, MATHS_10A1)
    assert not decide([Grant(TEACHER, "Ngữ văn")], action, MATHS_10A1)


def test_the_principal_supervises_and_reads_but_does_not_mark():
    principal = [Grant(PRINCIPAL)]
    assert decide(principal, access.SUPERVISE, MATHS_10A1) and decide(principal, access.VIEW_RESULTS, MATHS_10A1)
    assert not decide(principal, access.MARK, MATHS_10A1) and not decide(principal, access.AUTHOR, MATHS_10A1)


def test_the_homeroom_teacher_reads_their_own_class_results_only():
    assert decide([Grant(HOMEROOM, "10A1")], access.VIEW_RESULTS, MATHS_10A1)
    assert not decide([Grant(HOMEROOM, "10A2")], access.VIEW_RESULTS, MATHS_10A1)
    assert not decide([Grant(HOMEROOM, "10A1")], access.EXPORT, MATHS_10A1)
    assert not decide([Grant(RECORDS_OFFICER)], access.MARK, MATHS_10A1)


@pytest.mark.parametrize("name, default", [
    ("ASSESSMENT_MINUTES", 45), ("ASSESSMENT_MAX_MINUTES", 120), ("ASSESSMENT_GRACE_SECONDS", 30),
    ("ASSESSMENT_MAX_EXTRA_MINUTES", 60), ("ASSESSMENT_MCQ_POINTS", "0.25"), ("ASSESSMENT_SHORT_POINTS", "0.25"),
    ("ASSESSMENT_ESSAY_STEP", "0.25"), ("ASSESSMENT_SCALE", 10), ("ASSESSMENT_COMMENT_PASS_MARK", "5.0"),
])
def test_the_settings_have_the_ministrys_defaults(name, default):
    assert config.get(name, "THPTNamLoi") == default


def test_the_default_time_limit_fits_within_the_maximum():
    assert timing.check_minutes(config.get("ASSESSMENT_MINUTES"), config.get("ASSESSMENT_MAX_MINUTES")).seconds == 2700


def test_the_default_points_read_as_exact_decimals():
    policy = scoring.policy_for("THPTNamLoi", "Toán", "secondary")
    assert policy.true_false[1:] == tuple(scoring.to_decimal(v) for v in ("0.1", "0.25", "0.5", "1.0"))
    assert all(isinstance(v, scoring.Decimal) for v in (policy.mcq, policy.short, policy.pass_mark, policy.scale))


def test_the_comment_only_subjects_are_those_of_circular_22():
    subjects = config.get("ASSESSMENT_COMMENT_SUBJECTS")
    for subject in ("Giáo dục thể chất", "Nghệ thuật", "Âm nhạc", "Mỹ thuật", "Nội dung giáo dục của địa phương",
                    "Hoạt động trải nghiệm, hướng nghiệp"):
        assert subject in subjects
    assert "Toán" not in subjects
