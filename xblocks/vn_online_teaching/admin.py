"""Django admin for school roles, the roster and (read-only) the audit log and records."""
from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from .core import audit
from .core.actors import actor_from_django_user
from .models import AuditEntry, Learner, Lesson, MaterialDecision, MaterialState, MeetingReport, RoleAssignment


class AuditedAdmin(admin.ModelAdmin):
    """Who may do what (roles) and who a learner is (roster) decide access to records kept for
    years: a change made here is written to the audit log in the same transaction, with the
    values before and after, like a change made through the blocks or the import commands."""

    audit_type = ""  # object_type and action prefix: "roles", "roster"

    def _values(self, obj):
        return {k: v for k, v in model_to_dict(obj).items() if k != "id"}

    def _record(self, request, verb, obj, before, after):
        audit.append(f"{self.audit_type}.admin_{verb}", object_type=self.audit_type, object_id=obj.pk,
                     actor=actor_from_django_user(request.user), actor_role="admin", org=obj.org,
                     data={"before": before, "after": after})

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = self._values(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            self._record(request, "change" if change else "add", obj, before, self._values(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record(request, "delete", obj, self._values(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record(request, "delete", obj, self._values(obj), None)
            super().delete_queryset(request, queryset)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    audit_type = "roles"
    list_display = ("username", "role", "subject", "org")
    list_filter = ("role", "org")
    search_fields = ("username", "subject")


@admin.register(Learner)
class LearnerAdmin(AuditedAdmin):
    audit_type = "roster"
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
