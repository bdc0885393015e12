"""The settings of online lessons and attendance, with their defaults (read through
``core.config.get``, which finds them by core/registry.py; a school overrides them like any other
setting)."""
from ..core.registry import Setting

SETTINGS = {
    "PERIOD_MINUTES": Setting({"primary": 35, "secondary": 45}, "Length of a period (tiết) by school level, "
                                                                "in minutes."),
    "CHECKIN_OPEN_BEFORE_MIN": Setting(10, "Student check-in opens this many minutes before the lesson starts."),
    "CHECKIN_GRACE_MIN": Setting(5, "A check-in up to this many minutes after the start counts as present."),
    "CHECKIN_CLOSE_AFTER_MIN": Setting(20, "Student check-in closes this many minutes after the start."),
    "CHECKIN_MAX_WRONG_CODES": Setting(5, "Wrong rotating codes allowed per student per lesson in 10 minutes."),
    "CHECKIN_MAX_WRONG_CODES_ADDRESS": Setting(30, "Wrong rotating codes from one network address per lesson in "
                                                   "10 minutes, past which only students who typed a wrong code "
                                                   "themselves must wait."),
    "HOLIDAYS": Setting((), "School holidays (ISO dates, \"YYYY-MM-DD\"): a weekly series of lessons skips them."),
    "PROMOTION_ABSENT_SESSIONS": Setting(45, "Absent sessions (buổi) in a school year above which promotion "
                                             "is blocked."),
    "IMPORT_PRESENT_SHARE": Setting(0.8, "Meeting-report import: share of the lesson attended to count as present."),
    "IMPORT_LATE_SHARE": Setting(0.5, "Meeting-report import: share of the lesson attended to count as late."),
    "IMPORT_GRACE_MIN": Setting(5, "Meeting-report import: present also needs a first join at most this many "
                                   "minutes after the start."),
    "MAX_REPORT_BYTES": Setting(3 * 1024 * 1024, "Largest meeting-report file, in bytes (3 MB). Reports are "
                                                 "uploaded in the LMS, which refuses files over 4 MB in any block's "
                                                 "handler and whose proxy (Tutor's Caddy) refuses requests over 4 MB: "
                                                 "raise it only with both (see docs/operations.md)."),
}
