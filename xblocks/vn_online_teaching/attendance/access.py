"""Who may do what with online lessons and their rolls: this feature's actions and the roles
holding them (read by core/registry.py; ``manage.py vnot_rules`` prints the whole matrix).

A class's rolls are personal data: the teachers and the head of the block's subject read them,
the principal and the records officer (grants without a subject) and the class's homeroom
teacher too (a homeroom grant's scope is its class, every subject of it); a teacher of another
subject reads them through their own subject's block of the class. Only a teacher of the subject
keeps the roll.
"""
from ..core.registry import Action
from ..core.roles import HEAD, HOMEROOM, PRINCIPAL, RECORDS_OFFICER, TEACHER

MANAGE = "attendance.manage"
VIEW_STAFF = "attendance.view_staff"
REPORT = "attendance.report"

READERS = {TEACHER, HEAD, PRINCIPAL, RECORDS_OFFICER, HOMEROOM}

ACTIONS = {
    MANAGE: Action({TEACHER}, by_subject=True,
                   doc="Plan lessons, take and correct the roll, import meeting reports, write the logbook"),
    VIEW_STAFF: Action(READERS, by_subject=True, doc="Read a class's lessons, rolls and logbook"),
    REPORT: Action(READERS, by_subject=True, doc="Download a class's attendance reports"),
}
