"""What the platform's gradebook holds of an attempt (docs/decisions/0010-grades.md): nothing
before the teacher releases the results, the released score out of the scale (the verdict as 1
or 0 in a subject assessed by comment only), and zero taken back when a released attempt is
annulled or reopened for a retake; the block's ``max_score`` from its settings alone."""
import datetime as dt
from types import SimpleNamespace

import pytest

from vn_online_teaching.assessment import grades, states
from vn_online_teaching.assessment.block import PeriodicAssessmentBlock

RELEASED_AT = dt.datetime(2025, 10, 25, 3, 0, tzinfo=dt.UTC)


def attempt(state, score="6.3", verdict=None, published_at=None):
    result = {"score": score, "verdict": verdict, "unmarked": []} if score is not None else None
    return SimpleNamespace(state=state, result=result, published_at=published_at)


@pytest.mark.parametrize("state", [states.IN_PROGRESS, states.SUBMITTED, states.FINALISED, states.MARKED,
                                   states.REOPENED, states.INVALIDATED])
def test_nothing_before_release(state):
    assert grades.gradebook_score(attempt(state), 10) is None


def test_the_released_score_out_of_the_scale():
    assert grades.gradebook_score(attempt(states.PUBLISHED, "6.3", published_at=RELEASED_AT), 10) == (6.3, 10, False)
    assert grades.gradebook_score(attempt(states.PUBLISHED, "10", published_at=RELEASED_AT), 10) == (10.0, 10, False)


def test_a_comment_only_subject_sends_its_verdict():
    assert grades.gradebook_score(attempt(states.PUBLISHED, "7.5", "achieved"), 1) == (1.0, 1, False)
    assert grades.gradebook_score(attempt(states.PUBLISHED, "4.9", "not_achieved"), 1) == (0.0, 1, False)


@pytest.mark.parametrize("state", sorted(grades.RETRACTED))
def test_a_released_score_annulled_or_retaken_is_taken_back(state):
    assert grades.gradebook_score(attempt(state, published_at=RELEASED_AT), 10) == (0.0, 10, True)


def test_max_points_from_the_settings(settings):
    assert grades.max_points("THPTNamLoi", "Toán") == 10
    assert grades.max_points("THPTNamLoi", "Giáo dục thể chất") == 1
    settings.VN_ONLINE_TEACHING = {**getattr(settings, "VN_ONLINE_TEACHING", {}), "ASSESSMENT_SCALE": 100}
    assert grades.max_points("THPTNamLoi", "Toán") == 100


def test_the_block_is_scored_as_the_grades_app_reads_it():
    """The grades app reads ``has_score`` of the block class (lms/djangoapps/grades/scores.py,
    ``_block_types_possibly_scored``), ``weight`` as a settings field and ``max_score()``."""
    assert PeriodicAssessmentBlock.has_score is True
    field = PeriodicAssessmentBlock.fields["weight"]
    assert field.scope.name == "settings" and field.default is None
