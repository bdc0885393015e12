"""Who may do what with a learning material: this feature's actions and the roles holding them
(read by core/registry.py; ``manage.py vnot_rules`` prints them with every other feature's).

Authoring and submitting follow the teacher's subject; the subject group's pass follows the head's
subject; the principal's approval is never by subject. Only the teacher who submitted a material
may withdraw it. In Studio the platform's own course-staff check decides who edits, so a new
material without a subject yet can be created there.
"""
from ..core.registry import Action
from ..core.roles import HEAD, PRINCIPAL, RECORDS_OFFICER, TEACHER

VIEW_STAFF = "material.view_staff"
EDIT = "material.edit"
SUBMIT = "material.submit"
WITHDRAW = "material.withdraw"
PASS = "material.pass"
RETURN_REVIEW = "material.return_review"
APPROVE = "material.approve"
RETURN_APPROVAL = "material.return_approval"
REVOKE = "material.revoke"
REGISTER = "material.register"
TEACHER_COUNTS = "material.teacher_counts"

STAFF = {TEACHER, HEAD, PRINCIPAL, RECORDS_OFFICER}

ACTIONS = {
    VIEW_STAFF: Action(STAFF, doc="See a material under review: its state, history, changes and review queue"),
    EDIT: Action({TEACHER}, by_subject=True, doc="Edit a material's content and attachments (outside Studio)"),
    SUBMIT: Action({TEACHER}, by_subject=True, doc="Submit a material to the subject group"),
    WITHDRAW: Action({TEACHER}, owner_only=True, doc="Withdraw one's own submitted material"),
    PASS: Action({HEAD}, by_subject=True, doc="Pass a submitted material (subject group)"),
    RETURN_REVIEW: Action({HEAD}, by_subject=True, doc="Return a submitted material with comments"),
    APPROVE: Action({PRINCIPAL}, doc="Approve a passed material for students"),
    RETURN_APPROVAL: Action({PRINCIPAL}, doc="Return a passed material with comments"),
    REVOKE: Action({PRINCIPAL}, doc="Revoke an approval"),
    REGISTER: Action(STAFF, doc="Download the materials register"),
    TEACHER_COUNTS: Action({HEAD, PRINCIPAL, RECORDS_OFFICER},
                           doc="See approved materials per teacher against the target"),
}
