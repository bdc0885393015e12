"""Records of session_attendance: lessons, marks with their history, logbook entries and the
meeting reports kept as evidence. Written only by the attendance records modules (``lessons``,
``checkin``, ``marks``, ``report_imports``, ``class_records``)."""
from django.db import models


class Lesson(models.Model):
    """One synchronous lesson (tiết) of a class, on a meeting platform."""

    usage_key = models.CharField(max_length=255, db_index=True)
    course_key = models.CharField(max_length=255, db_index=True)
    org = models.CharField(max_length=255, db_index=True)
    class_name = models.CharField(max_length=20, db_index=True)
    subject = models.CharField(max_length=100)
    date = models.DateField()
    period = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    title = models.CharField(max_length=255, blank=True, default="")
    syllabus_no = models.CharField(max_length=20, blank=True, default="")
    platform = models.CharField(max_length=16, default="meet")
    link = models.CharField(max_length=2000, blank=True, default="")
    mode = models.CharField(max_length=16, default="online")
    series = models.CharField(max_length=36, blank=True, default="", db_index=True)
    # Check-in rules of this lesson: the block's settings when it was planned (saving them again
    # applies them to every lesson not yet over), the rotating code switchable per lesson. They
    # live here so that a check-in reads one row, and one lesson can differ from the others.
    require_code = models.BooleanField(default=False)
    networks = models.JSONField(null=True, blank=True, default=None)  # None: any network; a list: only those
    code_salt = models.CharField(max_length=32)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True, default="")
    created_by = models.CharField(max_length=255)
    # The teacher's name as it was when the lesson was planned (the logbook prints it).
    created_by_name = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["starts_at", "period"]
        # The class's timetable (calendar, logbook) is read by school, class and time.
        indexes = [models.Index(fields=["org", "class_name", "starts_at"], name="vnot_lesson_class_time")]


class Mark(models.Model):
    """A student's attendance at one lesson; one row per student and lesson."""

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="marks")
    user_key = models.CharField(max_length=255)
    status = models.CharField(max_length=16, blank=True, default="")
    location = models.CharField(max_length=8, blank=True, default="")
    remark = models.CharField(max_length=500, blank=True, default="")
    source = models.CharField(max_length=16, default="teacher")  # checkin, teacher, import
    minutes = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # The status the check-in gave (present or late), kept when a teacher changes the mark later:
    # a first check-in writes no MarkChange, and the history shows it from here.
    checked_in_status = models.CharField(max_length=16, blank=True, default="")
    ip = models.CharField(max_length=45, blank=True, default="")
    user_agent = models.CharField(max_length=300, blank=True, default="")
    updated_by = models.CharField(max_length=255, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "vn_online_teaching"
        constraints = [models.UniqueConstraint(fields=["lesson", "user_key"], name="vnot_mark_unique")]


class MarkChange(models.Model):
    """Who changed a mark, when, from what to what."""

    mark = models.ForeignKey(Mark, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField()
    by_key = models.CharField(max_length=255)
    by_name = models.CharField(max_length=255, blank=True, default="")
    source = models.CharField(max_length=16)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]


class CodeAttempt(models.Model):
    """A wrong check-in code, kept to slow down guessing (per student, and per address: see
    ``checkin._check_code``)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    user_key = models.CharField(max_length=255)
    ip = models.CharField(max_length=45, blank=True, default="")
    at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "vn_online_teaching"
        indexes = [models.Index(fields=["lesson", "user_key", "at"], name="vnot_codeattempt_user_time"),
                   models.Index(fields=["lesson", "ip", "at"], name="vnot_codeattempt_ip_time")]


class LogbookEntry(models.Model):
    """The class logbook (sổ đầu bài) line of one lesson."""

    lesson = models.OneToOneField(Lesson, on_delete=models.PROTECT, related_name="logbook")
    content = models.TextField(blank=True, default="")
    remarks = models.TextField(blank=True, default="")
    rating = models.CharField(max_length=16, blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.CharField(max_length=255, blank=True, default="")
    confirmed_by_name = models.CharField(max_length=255, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "vn_online_teaching"


class MeetingReport(models.Model):
    """A meeting platform's attendance file, kept as evidence, with the preview it produced: one
    per lesson and file (``sha256``), however often it is uploaded."""

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="reports")
    sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=255)
    format = models.CharField(max_length=16)
    size = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict)
    uploaded_by = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "vn_online_teaching"
        indexes = [models.Index(fields=["lesson", "sha256"], name="vnot_report_lesson_file")]
