"""The numbers of periodic tests a school may change, with their defaults (read through
``core.config.get``, which finds them by core/registry.py; a school overrides them like any other
setting).

The defaults are the Ministry's current values (docs/circular-09.md, periodic assessment): a
45-minute test; points per question format as in the national exam's rules since 2025; the
10-point scale with one decimal in secondary (Circular 22/2021) and whole numbers without zero in
primary (Circular 27/2020); the subjects Circular 22/2021 assesses by comment only. Points are
written as text ("0.25") so that they are exact decimals; plain numbers are accepted too.
The school's level (primary or secondary) is the shared ``SCHOOL_LEVEL`` setting.
"""
from ..core.registry import Setting

SETTINGS = {
    "ASSESSMENT_MINUTES": Setting(45, "Default time limit of a periodic test, in minutes (45 for subjects with at "
                                      "most 70 periods a year, 60 to 90 otherwise)."),
    "ASSESSMENT_MAX_MINUTES": Setting(120, "Longest time limit a periodic test may have, in minutes (120 for "
                                           "subjects of specialised schools)."),
    "ASSESSMENT_GRACE_SECONDS": Setting(30, "Answers saved up to this many seconds after a deadline are still "
                                            "accepted (network delay); the deadline shown is not moved."),
    "ASSESSMENT_MAX_EXTRA_MINUTES": Setting(60, "Most extra time the board may grant one student for one test, "
                                                "in minutes."),
    "ASSESSMENT_MCQ_POINTS": Setting("0.25", "Points of a multiple-choice question (4 options, one answer)."),
    "ASSESSMENT_TRUE_FALSE_POINTS": Setting({1: "0.1", 2: "0.25", 3: "0.5", 4: "1.0"},
                                            "Points of a true/false question by the number of its 4 statements "
                                            "answered right (none right: 0)."),
    "ASSESSMENT_SHORT_POINTS": Setting("0.25", "Points of a short-answer question."),
    "ASSESSMENT_SUBJECT_POINTS": Setting({"Toán": {"short": "0.5"}},
                                         "Points that differ by subject: {subject: {\"mcq\"|\"short\"|"
                                         "\"true_false\": points}}; subjects compare without regard to case "
                                         "or accents."),
    "ASSESSMENT_ESSAY_STEP": Setting("0.25", "Essay marks are given in steps of this many points."),
    "ASSESSMENT_SCALE": Setting(10, "Scale of a test's score: a paper worth other points is converted to it."),
    "ASSESSMENT_DECIMALS": Setting({"primary": 0, "secondary": 1},
                                   "Decimals of a test's score by school level, rounded half up."),
    "ASSESSMENT_LOWEST_SCORE": Setting({"primary": 1, "secondary": 0},
                                       "Lowest score a test gives by school level (primary gives no zero)."),
    "ASSESSMENT_COMMENT_SUBJECTS": Setting(("Giáo dục thể chất", "Nghệ thuật", "Âm nhạc", "Mỹ thuật",
                                            "Nội dung giáo dục của địa phương", "Hoạt động trải nghiệm, hướng nghiệp",
                                            "Hoạt động trải nghiệm"),
                                           "Subjects assessed by comment only: their tests give Achieved or Not "
                                           "yet achieved instead of a score."),
    "ASSESSMENT_COMMENT_PASS_MARK": Setting("5.0", "In a subject assessed by comment only, a test scoring at least "
                                                   "this much (on the 10-point scale) is Achieved."),
    "ASSESSMENT_SHOW_DECISIONS": Setting(True, "Students read the integrity decisions taken on their own attempt."),
    "ASSESSMENT_BANK_MAX_BYTES": Setting(2 * 1024 * 1024, "Largest question-bank spreadsheet a teacher may import, "
                                                          "in bytes (2 MB; a bank of a thousand questions is a few "
                                                          "hundred KB)."),
}
