"""The approved_material XBlock: a thin layer that turns views and handlers into calls of the
material's domain (``workflow``, ``gating``, ``content``) and records (``service``)."""
from markupsafe import Markup
from xblock.core import XBlock
from xblock.fields import List, Scope, String

from .. import compat
from ..core import clock, config, roles
from ..core.blockbase import BlockBase
from ..core.errors import Forbidden, NotFound, RequestError
from ..core.i18n import N_, gettext, megabytes
from ..core.validation import Field, FieldError
from ..core.web import error_response, file_response, json_api, json_response
from . import content, fingerprint, gating, register, service, workflow
from .scenarios import SCENARIOS

DEFAULT_TITLE = N_("Learning material")

JS_STRINGS = (
    N_("Please write a comment for the author."),
    N_("Tick every item of the checklist before you decide."),
    N_("Uploading…"),
    N_("Remove"),
)


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
        return {"title": self.title(), "kind": self.kind, "subject": self.subject, "grade": self.grade,
                "lesson": self.lesson, "author_name": self.author_name}

    def title(self):
        return gettext(DEFAULT_TITLE) if self.display_name == DEFAULT_TITLE else self.display_name

    def place(self, state=None):
        usage_key, course_key, org = self.keys()
        return roles.Place(org=org, course_key=course_key, subject=self.subject,
                           owner_key=state.owner_key if state else "")

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        actor = self.actor()
        if roles.may(actor, "material.view_staff", self.place()):
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
        live = self.live()
        approved = state.approved_version
        actions = [(a, workflow.TRANSITIONS[a]) for a in workflow.available(state.state)
                   if roles.may(actor, workflow.TRANSITIONS[a].permission, place)]
        if state.state == workflow.APPROVED and approved and approved.fingerprint == live["fingerprint"]:
            actions = [(a, t) for a, t in actions if a != "submit"]
        warnings = []
        if state.state in (workflow.SUBMITTED, workflow.PASSED) and state.submitted_fingerprint != live["fingerprint"]:
            warnings.append(N_("The material was edited after it was submitted: reviewers cannot decide on it until the author withdraws it and submits it again."))
        if state.state == workflow.APPROVED and approved and approved.fingerprint != live["fingerprint"]:
            warnings.append(N_("The material was changed after approval. Students see the last approved version; changed parts stay hidden until it is approved again."))
        diff = [(op, content.FIELD_LABELS[key], text)
                for op, key, text in (content.diff(approved.own_snapshot, live["own"]) if approved else [])]
        changed_diff = any(op != "same" for op, _k, _v in diff)
        history = [{
            "at": clock.display(d.at, state.org), "action": workflow.ACTION_LABELS.get(d.action, d.action)
            if d.action != "submit" else N_("Submitted for review"),
            "actor": d.actor_name, "role": roles.ROLE_LABELS.get(d.actor_role, d.actor_role),
            "comment": d.comment, "fingerprint": d.fingerprint[:12],
            "checklist": [workflow.CHECKLIST[k] for k, v in d.checklist.items() if v and k in workflow.CHECKLIST],
        } for d in service.decisions(where.usage_key)]
        queue = [{"title": s.title, "subject": s.subject, "state": workflow.STATE_LABELS[s.state],
                  "author": s.owner_name, "url": compat.jump_url(s.course_key, s.usage_key)}
                 for s in service.review_queue(where.course_key, actor)]
        frag = self.fragment("vn_online_teaching/material/staff.html", {
            "state": state, "state_label": workflow.STATE_LABELS.get(state.state, state.state),
            "own": self._display_own(live["own"]), "actions": actions, "warnings": warnings,
            "diff": diff if changed_diff else [], "history": history,
            "queue": queue, "checklist": workflow.CHECKLIST, "actor": actor,
            "fingerprint": live["fingerprint"],
            "register_url": self.runtime.handler_url(self, "register_export")
            if roles.may(actor, "material.register", place) else "",
            "register_xlsx_url": self.runtime.handler_url(self, "register_export", suffix="xlsx"),
            "counts": self._teacher_counts(actor, place),
            "count_headers": register.COUNT_HEADERS,
            "child_count": len(live["children"]),
            "needs_checklist": any(t.needs_checklist for _a, t in actions),
            "takes_comment": any(a != "submit" for a, _t in actions),
        }, js="material.js", js_init="VNOTMaterial", init_args={
            "decideUrl": self.runtime.handler_url(self, "decide"), "fingerprint": live["fingerprint"],
            "usageKey": where.usage_key,
        }, js_strings=JS_STRINGS)
        self._add_children(frag, [c for c, _fp in live["children"]], context)
        return frag

    def may_author(self):
        """Studio's editors are course staff by the platform's own check; elsewhere (the LMS
        preview, the workbench) only people who may edit materials get the editing views."""
        return compat.is_studio() or roles.may(self.actor(), "material.edit", self.place())

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
        }, js_strings=JS_STRINGS)

    def _teacher_counts(self, actor, place):
        """This semester's approved materials per teacher, for heads, principal, records officer."""
        if not roles.may(actor, "material.teacher_counts", place):
            return []
        rows = register.teacher_counts(register.materials(place.org), place.org,
                                       roles.holders(place.org, roles.TEACHER), clock.now())
        current = clock.semester_of(clock.now(), place.org)
        return [r for r in rows if (r[1], r[2]) == current]

    def _display_own(self, own):
        """Own content ready for a template: labels translated, HTML sanitised and marked safe."""
        shown = dict(own)
        shown["title"] = gettext(DEFAULT_TITLE) if own.get("display_name") == DEFAULT_TITLE else own.get("display_name")
        shown["kind_label"] = content.KINDS.get(own.get("kind"), "")
        shown["body_html"] = Markup(content.sanitize_html(own.get("body")))  # noqa: S704 - sanitised
        # Links also arrive by OLX import or the raw field editor, past studio_submit's checks.
        shown["links"] = [link for link in own.get("links") or []
                          if isinstance(link, dict) and content.is_safe_url(link.get("url"))]
        shown["attachments"] = [dict(a, url=self.runtime.handler_url(self, "attachment", suffix=a["sha256"]))
                                for a in own.get("attachments") or []]
        return shown

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

    @json_api({
        "action": Field(str, choices=list(workflow.TRANSITIONS)),
        "comment": Field(str, required=False, default="", max_length=4000),
        "checklist": Field(dict, required=False, default={}),
        "fingerprint": Field(str, required=False, default="", max_length=64),
        "request_id": Field(str, required=False, default=None, max_length=64),
    })
    def decide(self, data, suffix=""):
        decision = service.decide(
            self.where(), self.meta(), data["action"], self.actor(), live=self.live(), comment=data["comment"],
            checklist=data["checklist"], reviewed_fingerprint=data["fingerprint"], request_id=data["request_id"],
        )
        return {"state": decision.to_state, "decision": decision.pk,
                "state_label": gettext(workflow.STATE_LABELS[decision.to_state])}

    @json_api({  # errors name a field by the label the form shows (content.FIELD_LABELS)
        "display_name": Field(str, max_length=255, blank=False, label=content.FIELD_LABELS["display_name"]),
        "kind": Field(str, choices=list(content.KINDS), label=content.FIELD_LABELS["kind"]),
        "subject": Field(str, max_length=100, blank=False, label=content.FIELD_LABELS["subject"]),
        "grade": Field(str, max_length=20, label=content.FIELD_LABELS["grade"]),
        "lesson": Field(str, max_length=255, label=content.FIELD_LABELS["lesson"]),
        "author_name": Field(str, max_length=255, label=content.FIELD_LABELS["author_name"]),
        "source": Field(str, max_length=500, label=content.FIELD_LABELS["source"]),
        "licence": Field(str, max_length=255, label=content.FIELD_LABELS["licence"]),
        "body": Field(str, max_length=200_000, label=content.FIELD_LABELS["body"]),
        "links": Field(list, max_items=50, label=content.FIELD_LABELS["links"]),
        "attachments": Field(list, max_items=50, label=content.FIELD_LABELS["attachments"],
                             item=Field(str, max_length=64, label=content.FIELD_LABELS["attachments"])),
    })
    def studio_submit(self, data, suffix=""):
        """Save the configuration; an edit after approval leaves students on the approved version."""
        actor = self.actor()
        if not self.may_author():
            raise Forbidden()
        links = content.clean_links(data.pop("links"))
        known = dict(service.attachments_of(self.keys()[0]), **{a["sha256"]: a for a in self.attachments})
        missing = [sha for sha in data["attachments"] if sha not in known]
        if missing:
            raise FieldError("bad_choice", N_("The field {field} has a value that is not allowed."),
                             "attachments", content.FIELD_LABELS["attachments"])
        attachments = [known[sha] for sha in data.pop("attachments")]
        data["body"] = content.sanitize_html(data["body"])
        for name, value in data.items():
            setattr(self, name, value)
        self.links = links
        self.attachments = attachments
        self.save()
        live = self.live()
        service.record_edit(self.where(), self.meta(), actor, live["fingerprint"])
        return {"fingerprint": live["fingerprint"]}

    @XBlock.handler
    def upload_attachment(self, request, suffix=""):
        """Store one uploaded file (multipart field ``file``), checked for type and size."""
        try:
            actor = self.actor()
            if request.method != "POST":
                raise RequestError("method", N_("This address only accepts POST."), status=405)
            if not self.may_author():
                raise Forbidden()
            limit = config.get("MAX_ATTACHMENT_BYTES", self.keys()[2])
            if (request.content_length or 0) > limit + 64 * 1024:
                raise RequestError("too_large", N_("The file is too large (at most {limit} MB)."), status=413,
                                   field="file", limit=megabytes(limit))
            upload = request.POST.get("file")
            if upload is None or not hasattr(upload, "file"):
                raise RequestError("required", N_("The field {field} is required."), field="file")
            if len(self.attachments) >= config.get("MAX_ATTACHMENTS", self.keys()[2]):
                raise FieldError("too_many", N_("The field {field} has too many items (at most {limit})."),
                                 "attachments", content.FIELD_LABELS["attachments"],
                                 limit=config.get("MAX_ATTACHMENTS", self.keys()[2]))
            data = upload.file.read(limit + 1)
            name, mime = content.check_upload(upload.filename, data, limit)
            record = service.store_attachment(self.keys()[0], name, mime, data, actor)
            item = {"sha256": record.sha256, "name": name, "mime": mime, "size": record.size}
            if all(a["sha256"] != record.sha256 for a in self.attachments):
                self.attachments = self.attachments + [item]
                self.save()
                live = self.live()
                service.record_edit(self.where(), self.meta(), actor, live["fingerprint"])
            return json_response(item)
        except RequestError as exc:
            return error_response(exc)

    @XBlock.handler
    def attachment(self, request, suffix=""):
        """Download an attachment; students only get files of the approved version."""
        sha = (suffix or "").strip("/")
        try:
            actor = self.actor()
            if not roles.may(actor, "material.view_staff", self.place()):
                approved = service.approved_for_students(service.get_state(self.keys()[0]))
                allowed = {a.get("sha256") for a in (approved[1].get("attachments") if approved else [])}
                if sha not in allowed:
                    raise NotFound()
            record, data = service.open_attachment(self.keys()[0], sha)
        except RequestError as exc:
            return error_response(exc)
        inline = record.mime in ("application/pdf", "image/png", "image/jpeg", "image/gif", "video/mp4", "audio/mpeg")
        return file_response(record.name, record.mime, data, inline=inline)

    @XBlock.handler
    def register_export(self, request, suffix=""):
        """The materials register of this course (``?scope=school``: the whole school;
        ``?report=teachers``: approved materials per teacher against the target)."""
        actor = self.actor()
        place = self.place(service.get_state(self.keys()[0]))
        if not roles.may(actor, "material.register", place):
            return error_response(Forbidden())
        counts_allowed = roles.may(actor, "material.teacher_counts", place)
        report = request.GET.get("report", "materials")
        if report == "teachers" and not counts_allowed:
            return error_response(Forbidden())
        _usage, course_key, org = self.keys()
        fmt = "xlsx" if suffix.strip("/") == "xlsx" else "csv"
        scope_course = None if request.GET.get("scope") == "school" else course_key
        teachers = roles.holders(org, roles.TEACHER) if counts_allowed else None
        name, ctype, data = register.export(org, scope_course, fmt, teachers=teachers, report=report,
                                            with_counts=counts_allowed)
        return file_response(name, ctype, data)

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS
