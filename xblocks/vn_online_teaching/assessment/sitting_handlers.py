"""The sitting's handlers: the student's attempt (start, resume, save, submit, signals) and the
board's actions during the sitting (window, extra time, reopen, release, the head's decision).

A mixin of the periodic_assessment block, kept apart so the block class stays a list of views;
each handler is a few declarative lines over the records (``attempts``, ``sitting``). Who may act,
and every other refusal, is decided in the records layer, once per request: a refused request
writes nothing.
"""
from .. import compat
from ..core.web import json_api
from . import attempts, sitting, tasks, views


class SittingHandlers:
    """Handlers of the sitting; ``STAFF_URLS`` and ``STUDENT_URLS`` name those the pages call."""

    STAFF_URLS = ("board", "window", "extra_time", "reopen", "release", "decide_remote")
    STUDENT_URLS = ("start", "resume", "save_answers", "submit", "signal")

    def _client(self, request):
        return {"ip": request.remote_addr or "", "user_agent": request.user_agent or ""}

    @json_api(attempts.START_FIELDS, request=True, lms_only=True)
    def start(self, data, suffix, request):
        return self._reviewed(attempts.start(self.test(), self.actor(), request_id=data["request_id"],
                                             code=data["code"], **self._client(request)))

    @json_api(attempts.RESUME_FIELDS, request=True, lms_only=True)
    def resume(self, data, suffix, request):
        return self._reviewed(attempts.resume(self.test(), self.actor(), data["device"], **self._client(request)))

    @json_api(attempts.SAVE_FIELDS, request=True, lms_only=True)
    def save_answers(self, data, suffix, request):
        return attempts.save(self.test(), self.actor(), data["device"], data["answers"], **self._client(request))

    @json_api(attempts.SUBMIT_FIELDS, request=True, lms_only=True)
    def submit(self, data, suffix, request):
        answer = attempts.submit(self.test(), self.actor(), data["device"], data["answers"], **self._client(request))
        compat.complete_for_current_user(self)
        return self._reviewed(answer)

    def _reviewed(self, view):
        """The attempt as the student reads it, without the result when the teacher shows nothing
        after release (``review``)."""
        if self.review == views.REVIEW_NONE:
            view.pop("result", None)
        return view

    @json_api(attempts.SIGNAL_FIELDS, request=True, lms_only=True)
    def signal(self, data, suffix, request):
        return attempts.signal(self.test(), self.actor(), data["device"], data["signals"], **self._client(request))

    # ------------------------------------------------------------------ the board

    @json_api({}, lms_only=True)
    def board(self, data, suffix=""):
        """The sitting board (refreshed by the staff page every 15 s, which also keeps the periodic
        job going where workers take tasks: ``tasks.nudge``)."""
        board = views.board(self.test(), self.actor())
        tasks.nudge()
        return board

    @json_api(sitting.WINDOW_FIELDS, lms_only=True)
    def window(self, data, suffix=""):
        test = self.test()
        until = sitting.school_instant(data["until_date"], data["until_time"], test.org)
        return sitting.change_window(test, self.actor(), data["kind"], data["reason"], until)

    @json_api(sitting.EXTRA_TIME_FIELDS, lms_only=True)
    def extra_time(self, data, suffix=""):
        return sitting.grant_extra_time(self.test(), self.actor(), data["student"], data["minutes"], data["reason"])

    @json_api(sitting.REOPEN_FIELDS, lms_only=True)
    def reopen(self, data, suffix=""):
        return sitting.reopen(self.test(), self.actor(), data["student"], data["minutes"], data["reason"])

    @json_api(sitting.RELEASE_FIELDS, lms_only=True)
    def release(self, data, suffix=""):
        return sitting.release_device(self.test(), self.actor(), data["student"], data["reason"])

    @json_api(sitting.DECISION_FIELDS, lms_only=True)
    def decide_remote(self, data, suffix=""):
        return sitting.decide_remote(self.test(), self.actor(), data["reason"], data["students"])

