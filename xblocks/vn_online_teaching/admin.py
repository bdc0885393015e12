"""Django admin for school roles, the roster and (read-only) the audit log and records."""
from django.contrib import admin

from .models import AuditEntry, Learner, Lesson, MaterialDecision, MaterialState, MeetingReport, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("username", "role", "subject", "org")
    list_filter = ("role", "org")
    search_fields = ("username", "subject")


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ("sector_id", "full_name", "class_name", "username", "org")
    list_filter = ("org", "class_name")
    search_fields = ("sector_id", "full_name", "username", "email")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "action", "actor_name", "actor_role", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_name")


@admin.register(MaterialState)
class MaterialStateAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "subject", "grade", "author_name", "course_key", "updated_at")
    list_filter = ("state", "subject")


@admin.register(MaterialDecision)
class MaterialDecisionAdmin(ReadOnlyAdmin):
    list_display = ("usage_key", "action", "actor_name", "actor_role", "at")
    list_filter = ("action",)


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("date", "period", "class_name", "subject", "title", "created_by_name", "cancelled_at")
    list_filter = ("org", "class_name", "subject")
    search_fields = ("title", "class_name", "usage_key")


@admin.register(MeetingReport)
class MeetingReportAdmin(ReadOnlyAdmin):
    list_display = ("name", "format", "lesson", "uploaded_by", "uploaded_at", "applied_at")
    list_filter = ("format",)
    exclude = ("preview",)
