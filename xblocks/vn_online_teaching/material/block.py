"""The approved_material XBlock: a thin layer that turns views and handlers into calls of the
material's domain (``workflow``, ``gating``, ``content``), its children (``children``) and its
records (``service``, ``attachments``).

Learners reach the children outside this block's page too; the LMS keeps them away there through
the platform's own visibility (material/visibility.py). Studio edits the material and its
children as a container; the approvals happen in the LMS (``decide`` refuses Studio).
"""
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import List, Scope, String

from .. import compat
from ..core import clock, config, roles
from ..core.blockbase import STUDIO_READ_ONLY, STUDIO_READ_REFUSED, STUDIO_WRITE_REFUSED, BlockBase
from ..core.errors import Forbidden, NotFound
from ..core.i18n import N_, gettext, megabytes
from ..core.validation import FieldError
from ..core.web import file_response, get_api, json_api, upload_api
from . import access, attachments, children, content, gating, register, service, staff, workflow
from .content import DEFAULT_TITLE
from .scenarios import SCENARIOS


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("completion")
@XBlock.wants("studio_user_permissions")
class ApprovedMaterialBlock(BlockBase, XBlock):
    """Learning material students see only once the subject group has passed it and the principal
    has approved it; child blocks (video, problem, HTML…) are gated together with it."""

    has_children = True
    icon_class = "other"
    # Studio previews the author_view, with the children edited as in a container (openedx-platform,
    # cms/djangoapps/contentstore/views/preview.py, get_preview_fragment, reads this attribute).
    has_author_view = True
    # Complete when every child a learner may see is (openedx/completion, completion/services.py,
    # get_completable_children, recurses into aggregators); never complete "on view" by itself.
    completion_mode = XBlockCompletionMode.AGGREGATOR
    # Learners only read a material: staff viewing the course as a specific learner see what that
    # learner sees (openedx-platform, lms/djangoapps/courseware/masquerade.py, filter_displayed_blocks).
    show_in_read_only_mode = True

    display_name = String(display_name=N_("Title"), default=DEFAULT_TITLE, scope=Scope.settings)
    kind = String(display_name=N_("Kind of material"), default="lecture", scope=Scope.content,
                  values=[{"value": k, "display_name": v} for k, v in content.KINDS.items()])
    subject = String(display_name=N_("Subject"), default="", scope=Scope.content)
    grade = String(display_name=N_("Grade"), default="", scope=Scope.content)
    lesson = String(display_name=N_("Lesson or topic"), default="", scope=Scope.content)
    author_name = String(display_name=N_("Author"), default="", scope=Scope.content)
    source = String(display_name=N_("Source"), default="", scope=Scope.content)
    licence = String(display_name=N_("Licence"), default="", scope=Scope.content)
    body = String(display_name=N_("Content"), default="", scope=Scope.content, multiline_editor="html")
    links = List(display_name=N_("Links"), default=[], scope=Scope.content)
    attachments = List(display_name=N_("Attachments"), default=[], scope=Scope.content)

    # ------------------------------------------------------------------ live content

    def own_content(self):
        own = {name: getattr(self, name) for name in content.OWN_FIELDS}
        own["body"] = content.sanitize_html(own["body"])
        return own

    def live(self):
        """The content as this request reads it, with its fingerprints (material/children.py)."""
        return children.live(self, self.own_content())

    def _origins(self):
        """The block this one was pasted from in Studio, if any (the platform's ``copied_from_block``)."""
        origin = getattr(self, "copied_from_block", None)
        return [origin] if origin else []

    def where(self):
        usage_key, course_key, org = self.keys()
        return service.Where(usage_key, course_key, org)

    def meta(self):
        return {"title": content.title_of(self.display_name), "kind": self.kind, "subject": self.subject,
                "grade": self.grade, "lesson": self.lesson, "author_name": self.author_name}

    def place(self):
        _usage_key, course_key, org = self.keys()
        return roles.Place(org=org, course_key=course_key, subject=self.subject)

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        if self.in_studio():  # Studio's pages would run the LMS's handlers, which refuse there
            return self.author_view(context)
        actor = self.actor()
        if roles.may(actor, access.VIEW_STAFF, self.place()):
            return self.staff_view(actor)
        return self.learner_view()

    def learner_view(self, context=None):
        state = service.get_state(self.keys()[0])
        live = self.live()
        view = gating.student_view(service.approved_for_students(state), live["own_fingerprint"], live["own"],
                                   live["tree"])
        if view.stale:  # changed since approval: closed to learners everywhere else too
            service.sync_open_children(state, closed=view.stale, scored=live["scored"])
        frag = self.fragment("vn_online_teaching/material/student.html", {
            "view": view, "own": self._display_own(view.own) if view.visible else None,
        })
        return children.render(self, frag, view.children if view.visible else [])

    def staff_view(self, actor):
        where = self.where()
        state = service.ensure_state(where, self.meta())
        place = service.place_of(state)
        grants = roles.grants_at(actor, place)  # read once for every question the page asks

        def may(action):
            return roles.decide(grants, action, place, actor.user_key)

        live = self.live()
        opened, closed = gating.openings(service.approved_for_students(state), live["tree"])
        service.sync_open_children(state, opened, closed, scored=live["scored"])
        actions = staff.actions(state, live["fingerprint"], may)
        queue = staff.queue(service.review_queue(where.course_key, actor),
                            lambda s: compat.jump_url(s.course_key, s.usage_key))
        url = self.runtime.handler_url
        frag = self.fragment("vn_online_teaching/material/staff.html", {
            "state": state, "state_label": workflow.STATE_LABELS.get(state.state, state.state),
            "own": self._display_own(live["own"]), "actions": actions,
            "warnings": staff.warnings(state, live["fingerprint"], live["unreadable"]),
            "diff": staff.changes(state, live["own"]),
            "history": staff.history(service.decisions(where.usage_key), state.org),
            "runs": staff.other_runs(service.other_runs(where.usage_key, where.org), state.org),
            "queue": queue, "checklist": workflow.CHECKLIST, "actor": actor,
            "fingerprint": live["fingerprint"],
            "register": {
                "csv": url(self, "register_export"), "xlsx": url(self, "register_export", suffix="xlsx"),
                "school": url(self, "register_export", query="scope=school"),
                "teachers": url(self, "register_export", query="report=teachers&scope=school"),
            } if may(access.REGISTER) else None,
            "counts": register.current_counts(place.org, roles.holders(place.org, roles.TEACHER), clock.now())
            if may(access.TEACHER_COUNTS) else [],
            "count_headers": register.COUNT_HEADERS,
            "child_count": len(live["tree"]),
            "needs_checklist": any(t.needs_checklist for _a, t in actions),
            "takes_comment": any(a != "submit" for a, _t in actions),
        }, js="material.js", js_init="VNOTMaterial", init_args={
            "decideUrl": url(self, "decide"), "fingerprint": live["fingerprint"], "usageKey": where.usage_key,
        })
        return children.render(self, frag, [cid for cid, nodes in live["tree"] if nodes[0][1] is not None])

    def _not_author(self, studio_message):
        """What someone who may not edit the material gets: a notice in Studio, the learner's page
        elsewhere."""
        if self.in_studio():
            return self.studio_notice(studio_message)
        return self.learner_view()

    def author_view(self, context=None):
        """Studio: the approval state, the material's own content and its children, edited as in a
        container (add, reorder, edit); approvals happen in the LMS."""
        if not self.authoring_visible(access.EDIT, self.place()):
            return self._not_author(STUDIO_READ_REFUSED)
        usage_key = self.keys()[0]
        if self.in_studio():  # a pasted or duplicated material gets its files here, where it is first seen
            attachments.adopt(usage_key, [a.get("sha256") for a in self.attachments], self._origins())
        state = service.get_state(usage_key)
        frag = self.fragment("vn_online_teaching/material/author.html", {
            "state_label": workflow.STATE_LABELS.get(state.state if state else workflow.DRAFT),
            "own": self._display_own(self.own_content()),
        })
        return self.author_children(context, frag)

    def studio_view(self, context=None):
        if not self.authoring_allowed(access.EDIT, self.place()):
            return self._not_author(STUDIO_READ_ONLY)
        return self.fragment("vn_online_teaching/material/studio.html", {
            "block": self, "kinds": content.KINDS, "link_kinds": content.LINK_KINDS,
            "attachment_limit_mb": megabytes(config.get("MAX_ATTACHMENT_BYTES", self.keys()[2])),
        }, js="material_studio.js", js_init="VNOTMaterialStudio", init_args={
            "saveUrl": self.runtime.handler_url(self, "studio_submit"),
            "uploadUrl": self.runtime.handler_url(self, "upload_attachment"),
            "links": self.links, "attachments": self.attachments,
        })

    def _display_own(self, own):
        return content.display(own, lambda sha: self.runtime.handler_url(self, "attachment", suffix=sha))

    # ------------------------------------------------------------------ handlers

    @json_api(workflow.DECISION, lms_only=True)
    def decide(self, data, suffix=""):
        decision = service.decide(
            self.where(), self.meta(), data["action"], self.actor(), live=self.live(), comment=data["comment"],
            checklist=data["checklist"], reviewed_fingerprint=data["fingerprint"], request_id=data["request_id"],
        )
        return {"state": decision.to_state, "decision": decision.pk,
                "state_label": gettext(workflow.STATE_LABELS[decision.to_state])}

    @json_api(content.FORM)
    def studio_submit(self, data, suffix=""):
        """Save the configuration; an edit after approval leaves students on the approved version."""
        known = dict(attachments.of(self.keys()[0]), **{a["sha256"]: a for a in self.attachments})
        data.update(links=content.clean_links(data["links"]), body=content.sanitize_html(data["body"]),
                    attachments=content.pick_attachments(data["attachments"], known))

        def change():
            for name, value in data.items():
                setattr(self, name, value)
            return self._saved()

        return {"fingerprint": self._edit(change).fingerprint}

    def _edit(self, change):
        """An edit through the service: authorised once, ``change()`` made, then audited. In
        Studio the platform's ``can_write`` decides, the check by which it keeps or drops the saved
        fields (core/blockbase.py, ``authorize_authoring``)."""
        studio = self.in_studio()
        if studio and not compat.studio_can_write(self):
            raise Forbidden(STUDIO_WRITE_REFUSED)
        return service.edit(self.where(), self.meta(), self.actor(), change, platform_checked=studio)

    def _saved(self, result=None):
        self.save()
        return service.Edited(self.meta(), self.live()["fingerprint"], result)

    @upload_api({}, "MAX_ATTACHMENT_BYTES")
    def upload_attachment(self, data, upload, suffix=""):
        """Store one uploaded file, checked for type from its bytes; the answer is its item."""
        name, mime = content.check_upload(upload.name, upload.data)
        return self._attach(name, mime, upload.data)

    def _attach(self, name, mime, data):
        """Keep the file and list it on the material (once); the answer is its item."""
        def change():
            limit = config.get("MAX_ATTACHMENTS", self.keys()[2])
            if len(self.attachments) >= limit:
                raise FieldError("too_many", N_("The field {field} has too many items (at most {limit})."),
                                 "attachments", content.FIELD_LABELS["attachments"], limit=limit)
            record = attachments.store(self.keys()[0], name, mime, data, self.actor())
            item = {"sha256": record.sha256, "name": name, "mime": mime, "size": record.size}
            if any(a["sha256"] == record.sha256 for a in self.attachments):
                return service.Edited(self.meta(), result=item)  # the same file again: nothing changes
            self.attachments = self.attachments + [item]
            return self._saved(item)

        return self._edit(change).result

    @get_api()
    def attachment(self, params, suffix=""):
        """Download an attachment; students only get files of the approved version. A rerun,
        import or copy of a material finds the files of the block it came from (attachments.py)."""
        sha = (suffix or "").strip("/")
        may_see_all = compat.studio_can_read(self) if self.in_studio() else \
            roles.may(self.actor(), access.VIEW_STAFF, self.place())
        if not may_see_all:
            approved = service.approved_for_students(service.get_state(self.keys()[0]))
            if sha not in {a.get("sha256") for a in (approved[1].get("attachments") if approved else [])}:
                raise NotFound()
        record, data = attachments.open_file(self.keys()[0], sha, self._origins())
        return file_response(record.name, record.mime, data, inline=record.mime in content.INLINE_TYPES)

    @get_api(register.QUERY, lms_only=True)
    def register_export(self, params, suffix=""):
        """The materials register of this course (``?scope=school``: the whole school;
        ``?report=teachers``: approved materials per teacher against the target)."""
        actor = self.actor()
        place = self.place()
        if not roles.may(actor, access.REGISTER, place):
            raise Forbidden()
        counts_allowed = roles.may(actor, access.TEACHER_COUNTS, place)
        if params["report"] == "teachers" and not counts_allowed:
            raise Forbidden()
        _usage, course_key, org = self.keys()
        teachers = roles.holders(org, roles.TEACHER) if counts_allowed else None
        name, ctype, data = register.export(org, None if params["scope"] == "school" else course_key,
                                            "xlsx" if suffix.strip("/") == "xlsx" else "csv", teachers=teachers,
                                            report=params["report"], with_counts=counts_allowed)
        return file_response(name, ctype, data)

    def studio_post_duplicate(self, *args, **kwargs):
        """Studio duplicated a material into this new block: its content came along, so do its
        files. The platform's signature changed between releases (``(store, source)`` answering
        whether the children were handled; ``(source, store, user, shallow=...)`` of the authoring
        mixin, which duplicates the children itself): the source is the argument that is a block,
        and the children are left to the platform's own handling."""
        source = next((a for a in (*args, *kwargs.values()) if hasattr(a, "scope_ids")), None)
        if source is not None:
            attachments.adopt(self.keys()[0], [a.get("sha256") for a in self.attachments],
                              [compat.usage_key_of(source)])
        inherited = getattr(super(), "studio_post_duplicate", None)
        return inherited(*args, **kwargs) if inherited else False

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS
