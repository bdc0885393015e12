"""School roles (core/roles.py): the pure rule ``decide`` applied to what the features declare and,
with the database, where grants come from."""
import pytest

from vn_online_teaching.core import registry
from vn_online_teaching.core.actors import ANONYMOUS_ACTOR, Actor
from vn_online_teaching.core.errors import Forbidden
from vn_online_teaching.core.models import RoleAssignment
from vn_online_teaching.core.roles import (
    HEAD, HOMEROOM, PRINCIPAL, RECORDS_OFFICER, STUDENT, TEACHER, Grant, Place, authorize, decide, fallback_grants,
    grants_at, grants_for, head_assigned, matching_grant, may, resolve, role_for,
)

ORG = "THPTNamLoi"
ALL_ROLES = (TEACHER, HEAD, PRINCIPAL, RECORDS_OFFICER, HOMEROOM, STUDENT)
STAFF_ROLES = {TEACHER, HEAD, PRINCIPAL, RECORDS_OFFICER}
EVERY_SCHOOL_ROLE = STAFF_ROLES | {HOMEROOM}

# Written out by hand: who may do what (the principal's approval is never by subject).
EXPECTED = {
    "material.view_staff": STAFF_ROLES,
    "material.edit": {TEACHER},
    "material.submit": {TEACHER},
    "material.withdraw": {TEACHER},
    "material.pass": {HEAD},
    "material.return_review": {HEAD},
    "material.approve": {PRINCIPAL},
    "material.return_approval": {PRINCIPAL},
    "material.revoke": {PRINCIPAL},
    "material.register": STAFF_ROLES,
    "material.teacher_counts": {HEAD, PRINCIPAL, RECORDS_OFFICER},
    "audit.verify": {PRINCIPAL, RECORDS_OFFICER},
    "attendance.manage": {TEACHER},
    "attendance.view_staff": EVERY_SCHOOL_ROLE,
    "attendance.report": EVERY_SCHOOL_ROLE,
    "assessment.author": {TEACHER, HEAD},
    "assessment.mark": {TEACHER, HEAD},
    "assessment.correct_key": {TEACHER, HEAD},
    "assessment.publish": {TEACHER, HEAD},
    "assessment.decide_remote": {PRINCIPAL},
    "assessment.supervise": {TEACHER, HEAD, PRINCIPAL},
    "assessment.view_results": EVERY_SCHOOL_ROLE,
    "assessment.export": STAFF_ROLES,
    "assessment.integrity_decide": {TEACHER, HEAD, PRINCIPAL},
    "assessment.integrity_view": EVERY_SCHOOL_ROLE,
    # A package holds every learner's records: the school's keepers only (course staff where the
    # school's ARCHIVE_COURSE_STAFF_ACTIONS says so: tests/integration/test_archive_block.py).
    "archive.export": {PRINCIPAL, RECORDS_OFFICER},
    "archive.download": {PRINCIPAL, RECORDS_OFFICER},
    "archive.verify": {PRINCIPAL, RECORDS_OFFICER},
    "archive.hold": {PRINCIPAL, RECORDS_OFFICER},
    "archive.dispose": {PRINCIPAL, RECORDS_OFFICER},
}
BY_SUBJECT = {"material.edit", "material.submit", "material.pass", "material.return_review", "attendance.manage",
              "attendance.view_staff", "attendance.report", "assessment.author", "assessment.mark",
              "assessment.correct_key", "assessment.publish", "assessment.supervise", "assessment.view_results",
              "assessment.export", "assessment.integrity_decide", "assessment.integrity_view"}

TOAN = Place(ORG, course_key="course-v1:THPTNamLoi+TOAN10+2025_HK1", subject="Toán", owner_key="gv_lan")


def test_every_declared_action_is_covered_here():
    declared = registry.catalog().actions
    assert set(declared) == set(EXPECTED)
    assert {a for a, rule in declared.items() if rule.by_subject} == BY_SUBJECT
    assert {a for a, rule in declared.items() if rule.owner_only} == {"material.withdraw"}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_action_by_each_role(action, role):
    # the actor owns the material, so only the role decides (withdraw is owner-only)
    assert decide([Grant(role)], action, TOAN, actor_key="gv_lan") is (role in EXPECTED[action])


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_no_grants_no_action(action):
    assert decide([], action, TOAN, actor_key="gv_lan") is False


@pytest.mark.parametrize("action", ["material.delete", "", "MATERIAL.EDIT", "material.view_staff "])
def test_unknown_actions_are_never_allowed(action):
    everything = [Grant(r) for r in ALL_ROLES]
    assert decide(everything, action, TOAN, actor_key="gv_lan") is False
    assert matching_grant(everything, action, TOAN) is None


# ------------------------------------------------------------------ subjects

@pytest.mark.parametrize("grant_subject, place_subject", [
    ("Toán", "Toán"),
    ("TOÁN", "toan"),
    ("toan", "Toán"),
    ("To\u0061\u0301n", "To\u00e1n"),        # decomposed vs composed
    ("  Ngữ   văn ", "ngu van"),
    ("Địa lí", "dia li"),
    ("", "Toán"),                            # "" covers any subject
    ("", ""),
])
def test_grant_covers(grant_subject, place_subject):
    assert Grant(HEAD, grant_subject).covers(place_subject) is True


@pytest.mark.parametrize("grant_subject, place_subject", [
    ("Toán", "Ngữ văn"),
    ("Toán", "Toán học"),
    ("Toán", ""),
    ("Toán", None),
    ("Vật lí", "Hoá học"),
])
def test_grant_does_not_cover(grant_subject, place_subject):
    assert Grant(HEAD, grant_subject).covers(place_subject) is False


@pytest.mark.parametrize("action", sorted(BY_SUBJECT))
def test_subject_bound_actions_need_the_subject(action):
    role = sorted(EXPECTED[action] - {HOMEROOM})[0]  # a homeroom grant's scope is a class
    assert decide([Grant(role, "TOÁN")], action, Place(ORG, subject="toan", owner_key="u"), "u") is True
    assert decide([Grant(role, "Ngữ văn")], action, Place(ORG, subject="Toán", owner_key="u"), "u") is False
    assert decide([Grant(role, "")], action, Place(ORG, subject="Toán", owner_key="u"), "u") is True
    # one of several grants is enough
    assert decide([Grant(role, "Ngữ văn"), Grant(role, "Toán")], action, Place(ORG, subject="toán"), "") is True


@pytest.mark.parametrize("action", sorted(set(EXPECTED) - BY_SUBJECT - {"material.withdraw"}))
def test_other_actions_ignore_the_subject(action):
    """Every role but the homeroom teacher's, whose scope column holds a class (tested below)."""
    for role in sorted(EXPECTED[action] - {HOMEROOM}):
        assert decide([Grant(role, "Ngữ văn")], action, Place(ORG, subject="Toán"), "") is True, role


@pytest.mark.parametrize("action", ["attendance.view_staff", "attendance.report"])
def test_a_class_roll_is_read_by_the_staff_of_its_subject_and_the_school_leaders(action):
    """Rolls are personal data: a teacher or head of another subject does not read them here
    (they read the class through their own subject's block); the principal and the records
    officer hold grants without a subject, and reach every subject."""
    toan = Place(ORG, subject="Toán", class_name="10A1")
    assert decide([Grant(TEACHER, "Toán")], action, toan) and decide([Grant(HEAD, "Toán")], action, toan)
    assert not decide([Grant(TEACHER, "Ngữ văn")], action, toan)
    assert not decide([Grant(TEACHER, "Ngữ văn"), Grant(HEAD, "Ngữ văn")], action, toan)
    assert decide([Grant(PRINCIPAL)], action, toan) and decide([Grant(RECORDS_OFFICER)], action, toan)
    assert decide([Grant(HOMEROOM, "10A1")], action, toan)


def test_a_head_of_another_subject_cannot_pass():
    assert decide([Grant(TEACHER, "Toán"), Grant(HEAD, "Ngữ văn")], "material.pass", TOAN, "tt_hoa") is False
    assert decide([Grant(TEACHER, "Toán"), Grant(HEAD, "Ngữ văn")], "material.edit", TOAN, "tt_hoa") is True


def test_the_unresolved_instructor_placeholder_covers_no_real_subject():
    assert decide(fallback_grants("instructor"), "material.pass", TOAN, "x") is False


# ------------------------------------------------------------------ owner-only

def test_only_the_owner_withdraws():
    teacher = [Grant(TEACHER, "Toán")]
    assert decide(teacher, "material.withdraw", TOAN, actor_key="gv_lan") is True
    assert decide(teacher, "material.withdraw", TOAN, actor_key="gv_khac") is False
    assert decide(teacher, "material.withdraw", TOAN, actor_key="") is False


def test_without_an_owner_nobody_withdraws():
    assert decide([Grant(TEACHER)], "material.withdraw", Place(ORG, subject="Toán"), actor_key="") is False
    assert decide([Grant(TEACHER)], "material.withdraw", Place(ORG, subject="Toán"), actor_key="gv_lan") is False


def test_owning_is_not_enough_to_withdraw():
    assert decide([Grant(HEAD), Grant(PRINCIPAL)], "material.withdraw", TOAN, actor_key="gv_lan") is False


def test_withdraw_is_not_subject_bound():
    assert decide([Grant(TEACHER, "Ngữ văn")], "material.withdraw", TOAN, actor_key="gv_lan") is True


# ------------------------------------------------------------------ matching_grant and fallbacks

def test_matching_grant_prefers_an_assigned_grant():
    grants = [Grant(TEACHER, fallback=True), Grant(TEACHER, "Toán")]
    assert matching_grant(grants, "material.edit", TOAN) == Grant(TEACHER, "Toán")
    assert matching_grant([Grant(TEACHER, fallback=True)], "material.edit", TOAN) == Grant(TEACHER, fallback=True)


def test_matching_grant_respects_roles_and_subjects():
    assert matching_grant([Grant(PRINCIPAL)], "material.edit", TOAN) is None
    assert matching_grant([Grant(HEAD, "Ngữ văn")], "material.pass", TOAN) is None
    assert matching_grant([Grant(HEAD, "Ngữ văn"), Grant(HEAD, "toan")], "material.pass", TOAN) == Grant(HEAD, "toan")
    assert matching_grant([], "material.view_staff", TOAN) is None


@pytest.mark.parametrize("platform_role, expected", [
    ("student", []),
    ("anonymous", []),
    ("staff", [Grant(TEACHER, "", fallback=True)]),
    ("instructor", [Grant(TEACHER, "", fallback=True), Grant(HEAD, "*unassigned*", fallback=True)]),
    ("admin", []),
])
def test_fallback_grants(platform_role, expected):
    assert fallback_grants(platform_role) == expected


def test_no_fallback_makes_a_principal():
    for platform_role in ("student", "staff", "instructor"):
        assert all(g.role != PRINCIPAL for g in fallback_grants(platform_role))


# ------------------------------------------------------------------ with the database

def actor(key, platform_role="staff"):
    return Actor(user_key=key, username=key, full_name="", platform_role=platform_role)


def assign(user_key, role, subject="", org=ORG):
    return RoleAssignment.objects.create(org=org, user_key=user_key, username=user_key, role=role, subject=subject)


@pytest.mark.django_db
def test_grants_for_uses_the_assignments():
    assign("tt_minh", TEACHER, "Toán")
    assign("tt_minh", HEAD, "Toán")
    assert sorted(grants_for(actor("tt_minh", "instructor"), ORG), key=lambda g: g.role) == [
        Grant(HEAD, "Toán"), Grant(TEACHER, "Toán")]


@pytest.mark.django_db
def test_grants_for_falls_back_only_for_someone_without_assignments():
    assign("gv_lan", TEACHER, "Toán")
    assert grants_for(actor("gv_lan", "instructor"), ORG) == [Grant(TEACHER, "Toán")]
    assert grants_for(actor("gv_moi", "staff"), ORG) == [Grant(TEACHER, fallback=True)]
    assert grants_for(actor("gv_moi", "instructor"), ORG) == [Grant(TEACHER, fallback=True),
                                                              Grant(HEAD, "*unassigned*", fallback=True)]
    assert grants_for(actor("hs_anh", "student"), ORG) == []


@pytest.mark.django_db
def test_assignments_of_another_school_do_not_count():
    assign("gv_lan", TEACHER, "Toán", org="THPTKhac")
    assert grants_for(actor("gv_lan", "staff"), ORG) == [Grant(TEACHER, fallback=True)]
    assert grants_for(actor("gv_lan", "staff"), "THPTKhac") == [Grant(TEACHER, "Toán")]


@pytest.mark.django_db
def test_anonymous_has_no_grants():
    assert grants_for(ANONYMOUS_ACTOR, ORG) == []
    assert grants_for(Actor(user_key="", username="", full_name="", platform_role="instructor"), ORG) == []
    assert may(ANONYMOUS_ACTOR, "material.view_staff", TOAN) is False


@pytest.mark.django_db
def test_the_fallback_can_be_switched_off(settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, COURSE_ROLE_FALLBACK=False)
    assert grants_for(actor("gv_moi", "instructor"), ORG) == []


@pytest.mark.django_db
def test_the_fallback_can_be_switched_off_for_one_school(settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING,
                                       ORGS={ORG: {"COURSE_ROLE_FALLBACK": False}})
    assert grants_for(actor("gv_moi", "staff"), ORG) == []
    assert grants_for(actor("gv_moi", "staff"), "THPTKhac") == [Grant(TEACHER, fallback=True)]


@pytest.mark.django_db
def test_head_assigned_compares_subjects_folded():
    assert head_assigned(ORG, "Toán") is False
    assign("tt_minh", HEAD, "TOÁN")
    assign("gv_lan", TEACHER, "Vật lí")
    assert head_assigned(ORG, "toan") is True
    assert head_assigned(ORG, "Vật lí") is False
    assert head_assigned("THPTKhac", "Toán") is False


@pytest.mark.django_db
def test_instructor_acts_as_head_only_where_no_head_is_assigned():
    assign("tt_minh", HEAD, "Toán")
    instructor = fallback_grants("instructor")
    assert resolve(instructor, Place(ORG, subject="toán")) == [Grant(TEACHER, fallback=True)]
    assert resolve(instructor, Place(ORG, subject="Vật lí")) == [Grant(TEACHER, fallback=True),
                                                                 Grant(HEAD, "Vật lí", fallback=True)]
    assert resolve(instructor, Place(ORG, subject="")) == [Grant(TEACHER, fallback=True)]
    # assigned grants pass through untouched
    assert resolve([Grant(HEAD, "Toán"), Grant(PRINCIPAL)], Place(ORG, subject="Vật lí")) == [
        Grant(HEAD, "Toán"), Grant(PRINCIPAL)]


@pytest.mark.django_db
def test_a_head_for_any_subject_removes_the_instructor_fallback_everywhere():
    assign("tt_all", HEAD, "")
    assert resolve(fallback_grants("instructor"), Place(ORG, subject="Vật lí")) == [Grant(TEACHER, fallback=True)]


@pytest.mark.django_db
def test_may_and_role_for_end_to_end():
    assign("tt_minh", HEAD, "Toán")
    assign("tt_minh", TEACHER, "Toán")
    assign("ht_hung", PRINCIPAL)
    course_admin = actor("gv_moi", "instructor")
    vat_li = Place(ORG, subject="Vật lí", owner_key="gv_x")
    toan = Place(ORG, subject="Toán", owner_key="gv_x")
    assert may(course_admin, "material.pass", vat_li) is True
    assert role_for(course_admin, "material.pass", vat_li) == HEAD
    assert may(course_admin, "material.pass", toan) is False
    assert role_for(course_admin, "material.pass", toan) == ""
    assert may(course_admin, "material.approve", vat_li) is False        # no fallback principal
    assert may(course_admin, "material.edit", toan) is True              # staff fallback teacher
    assert role_for(course_admin, "material.edit", toan) == TEACHER
    assert may(actor("tt_minh"), "material.pass", toan) is True
    assert may(actor("tt_minh"), "material.pass", vat_li) is False
    assert may(actor("ht_hung"), "material.approve", toan) is True
    assert may(actor("ht_hung"), "material.edit", toan) is False
    assert may(actor("hs_anh", "student"), "material.view_staff", toan) is False


# ------------------------------------------------------------------ homeroom teachers

@pytest.mark.parametrize("action", ["attendance.view_staff", "attendance.report"])
def test_a_homeroom_teacher_reads_their_own_class_only(action):
    """The grant's scope column holds the class: 10A1's homeroom teacher reads every subject of
    10A1 and nothing of 10A2; a grant without a class reaches every class."""
    toan_10a1 = Place(ORG, subject="Toán", class_name="10A1")
    van_10a1 = Place(ORG, subject="Ngữ văn", class_name="10a1")
    toan_10a2 = Place(ORG, subject="Toán", class_name="10A2")
    own = [Grant(HOMEROOM, "10A1")]
    assert decide(own, action, toan_10a1) and decide(own, action, van_10a1)
    assert not decide(own, action, toan_10a2)
    assert matching_grant(own, action, toan_10a2) is None
    assert decide([Grant(HOMEROOM)], action, toan_10a2)


def test_a_homeroom_class_is_not_a_teaching_subject():
    """A homeroom grant never lets its holder keep a roll, whatever the class is called."""
    assert not decide([Grant(HOMEROOM, "10A1")], "attendance.manage", Place(ORG, subject="10A1", class_name="10A1"))


# ------------------------------------------------------------------ one read per question

@pytest.mark.django_db
@pytest.mark.parametrize("platform_role, subject", [("staff", "Toán"), ("instructor", "Vật lí"),
                                                    ("instructor", "Toán")])
def test_the_grants_at_a_place_are_one_read_of_the_role_table(django_assert_num_queries, platform_role, subject):
    """Also for a course admin, whose head fallback depends on the school's heads."""
    assign("tt_minh", HEAD, "Toán")
    with django_assert_num_queries(1):
        grants = grants_at(actor("gv_moi", platform_role), Place(ORG, subject=subject))
    assert grants == resolve(grants_for(actor("gv_moi", platform_role), ORG), Place(ORG, subject=subject))


@pytest.mark.django_db
def test_grants_at_keeps_the_actor_own_rows_only():
    assign("tt_minh", HEAD, "Toán")
    assign("gv_lan", TEACHER, "Toán")
    assert grants_at(actor("gv_lan"), Place(ORG, subject="Toán")) == [Grant(TEACHER, "Toán")]
    assert grants_at(ANONYMOUS_ACTOR, Place(ORG, subject="Toán")) == []


@pytest.mark.django_db
def test_authorize_returns_the_acting_role_from_one_read(django_assert_num_queries):
    assign("tt_minh", TEACHER, "Toán")
    assign("tt_minh", HEAD, "Toán")
    with django_assert_num_queries(1):
        assert authorize(actor("tt_minh"), "material.pass", TOAN) == HEAD
    with django_assert_num_queries(1):
        assert authorize(actor("gv_moi", "instructor"), "material.pass", Place(ORG, subject="Vật lí")) == HEAD


@pytest.mark.django_db
@pytest.mark.parametrize("who, action", [("gv_lan", "material.approve"), ("gv_lan", "material.unknown"),
                                         ("", "material.view_staff")])
def test_authorize_refuses_with_forbidden(who, action):
    assign("gv_lan", TEACHER, "Toán")
    with pytest.raises(Forbidden):
        authorize(actor(who) if who else ANONYMOUS_ACTOR, action, TOAN)
