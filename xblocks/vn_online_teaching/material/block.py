"""The approved_material XBlock: a thin layer that turns views and handlers into calls of the
material's domain (``workflow``, ``gating``, ``content``) and records (``service``)."""
from xblock.core import XBlock
from xblock.fields import List, Scope, String

from .. import compat
from ..core import clock, config, roles
from ..core.blockbase import BlockBase
from ..core.errors import Forbidden, NotFound
from ..core.i18n import N_, gettext
from ..core.validation import FieldError
from ..core.web import file_response, get_api, json_api, upload_api
from . import access, content, fingerprint, gating, register, service, staff, workflow
from .content import DEFAULT_TITLE
from .scenarios import SCENARIOS


def _serialise(block):
    """A child block's own content and settings (what differs from the field's default),
    recursively, as plain data.

    Comparing with the default instead of asking ``is_set_on`` reads each field once: the value
    lands in the block's field cache and the student view that follows reads it from there, where
    ``is_set_on`` would cost the field store one more lookup per field. A field set to exactly its
    default shows students the same thing as an unset one, so the fingerprint rightly ignores it."""
    fields = {}
    for name, field in sorted(block.fields.items()):
        if field.scope in (Scope.content, Scope.settings) and name not in ("children", "parent"):
            value = getattr(block, name)
            if value != field.default:
                fields[name] = field.to_json(value)
    return {
        "type": block.scope_ids.block_type,
        "fields": fields,
        "children": [_serialise(block.runtime.get_block(c)) for c in getattr(block, "children", None) or []],
    }


@XBlock.needs("i18n")
@XBlock.wants("user")
class ApprovedMaterialBlock(BlockBase, XBlock):
    """Learning material students see only once the subject group has passed it and the principal
    has approved it; child blocks (video, problem, HTML…) are gated together with it."""

    has_children = True
    icon_class = "other"

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
        """The content as it is now, with its fingerprints (what a reviewer is shown)."""
        own = self.own_content()
        own_fp = fingerprint.own_fingerprint(own)
        children = [(str(c), fingerprint.child_fingerprint(_serialise(self._child(c))))
                    for c in self.children]
        return {"own": own, "own_fingerprint": own_fp, "children": children,
                "fingerprint": fingerprint.material_fingerprint(own_fp, children)}

    def _child(self, child_id):
        """A child block, loaded once per request: the fingerprint and the rendering then share the
        instance and its field cache, so gating does not load (and query) every child twice."""
        loaded = self.__dict__.setdefault("_vnot_children", {})
        key = str(child_id)
        if key not in loaded:
            loaded[key] = self.runtime.get_block(child_id)
        return loaded[key]

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
        actor = self.actor()
        if roles.may(actor, access.VIEW_STAFF, self.place()):
            return self.staff_view(actor, context)
        return self.learner_view(context)

    def learner_view(self, context=None):
        state = service.get_state(self.keys()[0])
        live = self.live()
        view = gating.student_view(service.approved_for_students(state), live["own_fingerprint"], live["own"],
                                   live["children"])
        frag = self.fragment("vn_online_teaching/material/student.html", {
            "view": view, "own": self._display_own(view.own) if view.visible else None,
        })
        if view.visible:
            self._add_children(frag, view.children, context)
        return frag

    def staff_view(self, actor, context=None):
        where = self.where()
        state = service.ensure_state(where, self.meta())
        place = service.place_of(state)
        grants = roles.grants_at(actor, place)  # read once for every question the page asks

        def may(action):
            return roles.decide(grants, action, place, actor.user_key)

        live = self.live()
        actions = staff.actions(state, live["fingerprint"], may)
        queue = staff.queue(service.review_queue(where.course_key, actor),
                            lambda s: compat.jump_url(s.course_key, s.usage_key))
        url = self.runtime.handler_url
        frag = self.fragment("vn_online_teaching/material/staff.html", {
            "state": state, "state_label": workflow.STATE_LABELS.get(state.state, state.state),
            "own": self._display_own(live["own"]), "actions": actions,
            "warnings": staff.warnings(state, live["fingerprint"]), "diff": staff.changes(state, live["own"]),
            "history": staff.history(service.decisions(where.usage_key), state.org),
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
            "child_count": len(live["children"]),
            "needs_checklist": any(t.needs_checklist for _a, t in actions),
            "takes_comment": any(a != "submit" for a, _t in actions),
        }, js="material.js", js_init="VNOTMaterial", init_args={
            "decideUrl": url(self, "decide"), "fingerprint": live["fingerprint"], "usageKey": where.usage_key,
        })
        self._add_children(frag, [c for c, _fp in live["children"]], context)
        return frag

    def may_author(self):
        """Studio's editors are course staff by the platform's own check; elsewhere (the LMS
        preview, the workbench) only people who may edit materials get the editing views."""
        return compat.is_studio() or roles.may(self.actor(), access.EDIT, self.place())

    def author_view(self, context=None):
        """Studio: the state and the live content; approvals happen in the LMS."""
        if not self.may_author():
            return self.learner_view(context)
        state = service.get_state(self.keys()[0])
        live = self.live()
        frag = self.fragment("vn_online_teaching/material/author.html", {
            "state_label": workflow.STATE_LABELS.get(state.state if state else workflow.DRAFT),
            "own": self._display_own(live["own"])
        })
        self._add_children(frag, [c for c, _fp in live["children"]], context)
        return frag

    def studio_view(self, context=None):
        if not self.may_author():
            return self.learner_view(context)
        return self.fragment("vn_online_teaching/material/studio.html", {
            "block": self, "kinds": content.KINDS, "link_kinds": content.LINK_KINDS,
        }, js="material_studio.js", js_init="VNOTMaterialStudio", init_args={
            "saveUrl": self.runtime.handler_url(self, "studio_submit"),
            "uploadUrl": self.runtime.handler_url(self, "upload_attachment"),
            "links": self.links, "attachments": self.attachments,
        })

    def _display_own(self, own):
        return content.display(own, lambda sha: self.runtime.handler_url(self, "attachment", suffix=sha))

    def _add_children(self, frag, child_ids, context):
        html = []
        for child_id in child_ids:
            child_frag = self._child(child_id).render("student_view", context or {})
            frag.add_fragment_resources(child_frag)
            html.append(f'<div class="vnot-child">{child_frag.body_html()}</div>')
        marker = "<!--vnot-children-->"
        block_html = '<div class="vnot-children">' + "".join(html) + "</div>" if html else ""
        if marker in frag.content:
            frag.content = frag.content.replace(marker, block_html, 1)
        else:
            frag.content += block_html

    # ------------------------------------------------------------------ handlers

    @json_api(workflow.DECISION)
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
        known = dict(service.attachments_of(self.keys()[0]), **{a["sha256"]: a for a in self.attachments})
        data.update(links=content.clean_links(data["links"]), body=content.sanitize_html(data["body"]),
                    attachments=content.pick_attachments(data["attachments"], known))

        def change():
            for name, value in data.items():
                setattr(self, name, value)
            return self._saved()

        return {"fingerprint": self._edit(change).fingerprint}

    def _edit(self, change):
        """An edit through the service: authorised once, ``change()`` made, then audited."""
        return service.edit(self.where(), self.meta(), self.actor(), change, platform_checked=compat.is_studio())

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
            record = service.store_attachment(self.keys()[0], name, mime, data, self.actor())
            item = {"sha256": record.sha256, "name": name, "mime": mime, "size": record.size}
            if any(a["sha256"] == record.sha256 for a in self.attachments):
                return service.Edited(self.meta(), result=item)  # the same file again: nothing changes
            self.attachments = self.attachments + [item]
            return self._saved(item)

        return self._edit(change).result

    @get_api()
    def attachment(self, params, suffix=""):
        """Download an attachment; students only get files of the approved version."""
        sha = (suffix or "").strip("/")
        if not roles.may(self.actor(), access.VIEW_STAFF, self.place()):
            approved = service.approved_for_students(service.get_state(self.keys()[0]))
            if sha not in {a.get("sha256") for a in (approved[1].get("attachments") if approved else [])}:
                raise NotFound()
        record, data = service.open_attachment(self.keys()[0], sha)
        return file_response(record.name, record.mime, data, inline=record.mime in content.INLINE_TYPES)

    @get_api(register.QUERY)
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

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS
