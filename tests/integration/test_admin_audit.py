"""Roles and the roster changed in the Django admin are written to the audit log, through the
admin's real pages (the workbench serves them at /admin/), in the same transaction as the change."""
import pytest

from vn_online_teaching.core.audit import verify
from vn_online_teaching.core.models import AuditEntry, Learner, RoleAssignment
from vn_online_teaching.demo.people import ORG


@pytest.fixture
def admin_client(workbench, client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@thptnamloi.edu.vn", "mật-khẩu-thử",
                                                      first_name="Thu", last_name="Võ")
    client.force_login(user)
    client.user = user
    return client


def test_a_role_given_changed_and_taken_in_the_admin_is_audited(admin_client):
    form = {"org": ORG, "user_key": "gv_moi", "username": "gv_moi", "role": "head", "subject": "Vật lí"}
    response = admin_client.post("/admin/vn_online_teaching/roleassignment/add/", form)
    assert response.status_code == 302, response.content[:500]
    grant = RoleAssignment.objects.get(user_key="gv_moi")
    added = AuditEntry.objects.get(action="roles.admin_add")
    assert added.object_id == str(grant.pk) and added.org == ORG and added.actor_role == "admin"
    assert added.actor_key == str(admin_client.user.pk) and added.actor_name == "Thu Võ"
    assert added.data["before"] is None and added.data["after"]["subject"] == "Vật lí"

    response = admin_client.post(f"/admin/vn_online_teaching/roleassignment/{grant.pk}/change/",
                                 dict(form, subject="Hoá học"))
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="roles.admin_change")
    assert (changed.data["before"]["subject"], changed.data["after"]["subject"]) == ("Vật lí", "Hoá học")

    response = admin_client.post(f"/admin/vn_online_teaching/roleassignment/{grant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not RoleAssignment.objects.filter(pk=grant.pk).exists()
    deleted = AuditEntry.objects.get(action="roles.admin_delete")
    assert deleted.data["before"]["role"] == "head" and deleted.data["after"] is None
    assert verify().ok


def test_learners_deleted_in_bulk_in_the_admin_are_audited_one_by_one(admin_client):
    doomed = list(Learner.objects.filter(org=ORG, class_name="10A1").values_list("pk", flat=True)[:2])
    response = admin_client.post("/admin/vn_online_teaching/learner/", {
        "action": "delete_selected", "_selected_action": [str(pk) for pk in doomed], "post": "yes"})
    assert response.status_code == 302
    assert not Learner.objects.filter(pk__in=doomed).exists()
    entries = AuditEntry.objects.filter(action="roster.admin_delete").order_by("seq")
    assert sorted(int(e.object_id) for e in entries) == sorted(doomed)
    assert all(e.data["before"]["sector_id"] for e in entries)
    assert verify().ok


def test_a_refused_admin_form_changes_nothing_and_records_nothing(admin_client):
    before = AuditEntry.objects.count()
    response = admin_client.post("/admin/vn_online_teaching/roleassignment/add/",
                                 {"org": ORG, "user_key": "x", "username": "x", "role": "wizard", "subject": ""})
    assert response.status_code == 200  # the form again, with its error
    assert not RoleAssignment.objects.filter(user_key="x").exists() and AuditEntry.objects.count() == before
