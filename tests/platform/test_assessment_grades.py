"""The periodic test in the platform's gradebook (docs/decisions/0010-grades.md): scorable as the
grades app reads it, no score before the teacher releases the results, the released score (and
each re-score) sent for the learner, from the teacher's request or from no request at all.

Platform sources (openedx-platform), replicated below where the tier has no such module:
- lms/djangoapps/grades/signals/signals.py: ``SCORE_PUBLISHED = Signal()``;
- lms/djangoapps/grades/signals/handlers.py, ``score_published_handler``: ``set_score(user.id,
  block.location, raw_earned, raw_possible)`` in the learner's StudentModule, then
  ``PROBLEM_RAW_SCORE_CHANGED`` with ``weight=getattr(block, 'weight', None)``, which
  ``problem_raw_score_changed_handler`` turns into the weighted score;
- lms/djangoapps/grades/scores.py: ``weighted_score`` (weight None or possible 0: the raw score;
  else ``earned * weight / possible`` out of ``weight``), ``get_score`` (submissions, then the
  StudentModule's score, then 0 out of the block's collected ``max_score``: "not attempted") and
  ``_block_types_possibly_scored`` (the classes with ``has_score``);
- lms/djangoapps/grades/transformer.py, ``GradesTransformer._collect_max_score``: ``block.max_score()``
  of the block as the modulestore holds it, with no learner bound;
- xmodule/services.py, ``EventPublishingService._handle_grade_event``: the runtime's grade event is
  the request user's (a teacher's request cannot publish a learner's score that way);
- xmodule/modulestore/django.py, ``modulestore().get_item`` (the block's settings with no request).
"""
import io
import sys
import types

import pytest
from django.core.management import call_command
from django.dispatch import Signal
from freezegun import freeze_time
from xblock.core import XBlock

from platform_overrides import new_request
from runtime import _AuthoringRuntime
from test_assessment_block import answer_all, local, sitting, start  # noqa: F401 - the shared fixture
from vn_online_teaching import compat
from vn_online_teaching.assessment import grades
from vn_online_teaching.assessment.models import Attempt


def weighted_score(raw_earned, raw_possible, weight):
    """lms/djangoapps/grades/scores.py, ``weighted_score``."""
    if weight is None or raw_possible == 0:
        return raw_earned, raw_possible
    return float(raw_earned) * weight / raw_possible, float(weight)


class Gradebook:
    """The StudentModule scores ``score_published_handler`` sets and the weighted scores it sends on."""

    def __init__(self):
        self.csm = {}
        self.weighted = []

    def score_published_handler(self, sender, block, user, raw_earned, raw_possible, only_if_higher, **kwargs):
        self.csm[(user.id, block.location)] = (raw_earned, raw_possible)
        self.weighted.append((user.username, *weighted_score(raw_earned, raw_possible, getattr(block, "weight", None)),
                              bool(kwargs.get("score_deleted"))))

    def get_score(self, user, block):
        """``get_score`` with no submissions score: (weighted earned, weighted possible, attempted)."""
        weight = getattr(block, "weight", None)
        if (user.id, block.location) in self.csm:
            return (*weighted_score(*self.csm[(user.id, block.location)], weight), True)
        return (*weighted_score(0.0, block.max_score(), weight), False)


@pytest.fixture
def gradebook(monkeypatch, course):
    """The grades app's signal and receiver, and the modulestore (for a score sent with no request)."""
    book, signal = Gradebook(), Signal()
    signal.connect(book.score_published_handler, weak=False)
    modules = {"lms": None, "lms.djangoapps": None, "lms.djangoapps.grades": None,
               "lms.djangoapps.grades.signals": None, "lms.djangoapps.grades.signals.signals": {"SCORE_PUBLISHED": signal},
               "xmodule": None, "xmodule.modulestore": None,
               "xmodule.modulestore.django": {"modulestore": lambda: types.SimpleNamespace(
                   get_item=lambda key: _AuthoringRuntime(course).get_block(key))}}
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__path__ = []
        module.__dict__.update(attributes or {})
        monkeypatch.setitem(sys.modules, name, module)
    return book


def blocks_possibly_scored():
    """``_block_types_possibly_scored``."""
    return {name for name, cls in XBlock.load_classes() if getattr(cls, "has_score", False)}


def test_the_block_is_scorable_as_the_grades_app_reads_it(course, sitting):
    assert "periodic_assessment" in blocks_possibly_scored()
    authored = _AuthoringRuntime(course).get_block(sitting.usage)  # no learner bound
    assert authored.max_score() == 10 and authored.weight is None
    comment_only = _AuthoringRuntime(course).get_block(_add(course, subject="Giáo dục thể chất"))
    assert comment_only.max_score() == 1


def _add(course, **fields):
    from test_assessment_block import add_test

    return add_test(course, **fields)


def test_no_score_before_the_results_are_released(course, sitting, gradebook, django_capture_on_commit_callbacks):
    """Handed in and scored: the Progress page still reads "0 out of 10, not attempted"; the
    release sends the score for the learner from the teacher's request."""
    anh = sitting.learners["hs_anh"]
    with django_capture_on_commit_callbacks(execute=True):
        device = start(course, anh, sitting.usage)[1]["device"]
        assert answer_all(course, anh, sitting.usage, device)[0] == 200
    block = _AuthoringRuntime(course).get_block(sitting.usage)
    assert Attempt.objects.get().result["score"] == "10.0" and gradebook.csm == {}
    assert gradebook.get_score(anh, block) == (0.0, 10, False)
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(10, 0)):
        status, body = course.lms(sitting.teacher).call(sitting.usage, "publish")
    assert (status, body) == (200, {"released": 1})
    assert gradebook.weighted == [("hs_anh", 10.0, 10, False)]
    assert gradebook.get_score(anh, block) == (10.0, 10, True)
    assert gradebook.get_score(sitting.learners["hs_binh"], block) == (0.0, 10, False)  # never started


def test_the_weight_scales_the_released_score(course, sitting, gradebook, django_capture_on_commit_callbacks):
    usage = _add(course, weight=2.0)
    binh = sitting.learners["hs_binh"]
    with django_capture_on_commit_callbacks(execute=True):
        device = start(course, binh, usage)[1]["device"]
        answer_all(course, binh, usage, device, right=False)
        with freeze_time(local(10, 0)):
            assert course.lms(sitting.teacher).call(usage, "publish")[1] == {"released": 1}
    score = float(Attempt.objects.get(user_key=str(binh.id)).result["score"])
    assert gradebook.weighted == [("hs_binh", score * 2 / 10, 2.0, False)]


def test_a_score_sent_with_no_request_reads_the_block_from_the_modulestore(course, sitting, gradebook,
                                                                           django_capture_on_commit_callbacks):
    """A re-score after release outside any request (a command, a task): the block's settings come
    from the modulestore, the learner is the one named."""
    usage = _add(course, weight=4.0)
    anh = sitting.learners["hs_anh"]
    with django_capture_on_commit_callbacks(execute=True):
        device = start(course, anh, usage)[1]["device"]
        answer_all(course, anh, usage, device)
        with freeze_time(local(10, 0)):
            course.lms(sitting.teacher).call(usage, "publish")
    new_request()  # no request's block any more
    assert grades.follow(Attempt.objects.get(usage_key=str(usage)))
    assert gradebook.weighted[-1] == ("hs_anh", 4.0, 4.0, False)


def test_the_clock_ending_an_attempt_sends_no_score(course, sitting, gradebook, django_capture_on_commit_callbacks):
    start(course, sitting.learners["hs_anh"], sitting.usage)
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(8, 30)):
        call_command("finalise_attempts", stdout=io.StringIO())
    assert Attempt.objects.get().state == "finalised_by_deadline" and gradebook.weighted == []


def test_only_accounts_get_scores(gradebook, db):
    """A user key that is no platform account (the workbench's demo people) sends nothing."""
    assert not compat.publish_grade("block-v1:SoGD+TOAN10+2025+type@periodic_assessment+block@x", "hs_anh", 5.0, 10)
