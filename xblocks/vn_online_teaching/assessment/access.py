"""Who may do what with a periodic test: this feature's actions and the roles holding them (read
by core/registry.py; ``manage.py vnot_rules`` prints them with every other feature's).

Students take tests without a staff action: what they may do is decided by the attempt's state
and the clock (``states``, ``timing``). Staff actions follow the test's subject, except the head
of school's decision that lets students sit a periodic test remotely: Circular 09/2021 gives that
decision to the head of school alone (docs/circular-09.md, periodic assessment), so it is the
principal's and never by subject, and no course-role fallback reaches it.

Supervising (the board, hội đồng coi kiểm tra) means opening or closing a sitting early,
extending it, granting extra time, reopening an attempt after a lost connection and releasing a
student's device; each of those needs a reason and is audited. Results are personal data: they
are read by the staff who need them, never ranked publicly, and a student reads only their own.

After the sitting, a teacher or head of the subject, or the principal, decides per attempt on
what the integrity report shows (accept, annul, allow a retake), always with a reason and never
automatically; the school's staff who read the class's results read the reports and decisions,
students never read anyone's report (docs/integrity-guide.md).
"""
from ..core.registry import Action
from ..core.roles import HEAD, HOMEROOM, PRINCIPAL, RECORDS_OFFICER, TEACHER

AUTHOR = "assessment.author"
DECIDE_REMOTE = "assessment.decide_remote"
SUPERVISE = "assessment.supervise"
MARK = "assessment.mark"
CORRECT_KEY = "assessment.correct_key"
PUBLISH = "assessment.publish"
VIEW_RESULTS = "assessment.view_results"
EXPORT = "assessment.export"
INTEGRITY_DECIDE = "assessment.integrity_decide"
INTEGRITY_VIEW = "assessment.integrity_view"

SUBJECT_STAFF = {TEACHER, HEAD, PRINCIPAL}
READERS = {TEACHER, HEAD, PRINCIPAL, RECORDS_OFFICER, HOMEROOM}

ACTIONS = {
    AUTHOR: Action({TEACHER, HEAD}, by_subject=True,
                   doc="Write questions, build the blueprint and the paper, set the window, time limit and mode"),
    DECIDE_REMOTE: Action({PRINCIPAL},
                          doc="Record the head of school's decision letting named students sit a periodic test "
                              "remotely"),
    SUPERVISE: Action(SUBJECT_STAFF, by_subject=True,
                      doc="Supervise a sitting: open or close it early, extend it, grant extra time, reopen an "
                          "attempt, release a device"),
    MARK: Action({TEACHER, HEAD}, by_subject=True, doc="Mark essays against the marking guide and re-mark them"),
    CORRECT_KEY: Action({TEACHER, HEAD}, by_subject=True,
                        doc="Correct the answer key after the sitting, which re-scores every attempt with history"),
    PUBLISH: Action({TEACHER, HEAD}, by_subject=True, doc="Release the marked results to the students"),
    VIEW_RESULTS: Action(READERS, by_subject=True, doc="Read a class's attempts, scores and accommodations"),
    EXPORT: Action({TEACHER, HEAD, PRINCIPAL, RECORDS_OFFICER}, by_subject=True,
                   doc="Download a class's results and the records of a sitting"),
    INTEGRITY_DECIDE: Action(SUBJECT_STAFF, by_subject=True,
                             doc="Decide on an attempt after the sitting from its integrity report: accept it, "
                                 "annul it or allow a retake, with a reason"),
    INTEGRITY_VIEW: Action(READERS, by_subject=True,
                           doc="Read the integrity reports of a test's attempts, the decisions taken and the "
                               "test's integrity summary"),
}
