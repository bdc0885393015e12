"""The platform's gradebook copy of a periodic test's scores, and the completion of an attempt the
clock ended (docs/decisions/0010-grades.md).

The gradebook (the learner's Progress page, the instructor's gradebook and grade reports) holds a
score per learner and block. It receives an attempt's score **when the teacher releases the
results**, and the new score each time a released attempt is scored again (an essay re-marked, a
key corrected). Before release it holds nothing, so the Progress page shows the test as not
attempted: a score the teacher has not released never reaches a student that way. An attempt
annulled or given a retake after release has its score taken back (zero, ``score_deleted``).

The gradebook follows the ``Attempt`` row: whichever records module writes it (marking, the
integrity decisions), once the transaction commits, ``follow`` sends what the row now implies.
Nothing else needs to remember to call it, and a refused change (rolled back) sends nothing.
"""
from decimal import Decimal

from django.db import transaction
from django.db.models.signals import post_save

from .. import compat
from . import scoring, states
from .models import Attempt

RETRACTED = frozenset({states.INVALIDATED, states.REOPENED})  # after release: the score goes back
WATCHED = frozenset({"state", "result", "published_at"})
BLOCKS = "vn_online_teaching.assessment.blocks"  # the request's blocks by usage key


def max_points(org, subject):
    """What the block is worth before any learner's state is read (the grades app asks
    ``max_score()`` of the block as the modulestore holds it): the school's scale (10), or 1 for a
    subject assessed by comment only, whose gradebook score is 1 for Achieved (Đạt) and 0 for Not
    yet achieved (Chưa đạt) rather than the number behind the verdict."""
    policy = scoring.policy_for(org, subject)
    if policy.comment_only:
        return 1
    scale = policy.scale
    return int(scale) if scale == scale.to_integral_value() else float(scale)


def gradebook_score(attempt, possible):
    """(earned, possible, deleted) the gradebook should hold for ``attempt``, or None for nothing:
    the released score (the verdict as 1 or 0 in a comment-only subject), or zero taken back for a
    released attempt annulled or reopened for a retake."""
    result = attempt.result or {}
    if attempt.state == states.PUBLISHED and result.get("score") is not None:
        if result.get("verdict"):
            return (1.0 if result["verdict"] == scoring.ACHIEVED else 0.0), 1, False
        return float(Decimal(str(result["score"]))), possible, False
    if attempt.state in RETRACTED and attempt.published_at is not None:
        return 0.0, possible, True
    return None


def remember(block):
    """Keep the request's block for ``follow`` (the score is then sent through it: in the
    workbench, its runtime's event; in the LMS, without reading the modulestore again)."""
    compat.request_cache(BLOCKS)[str(block.scope_ids.usage_id)] = block


def follow(attempt):
    """Send the gradebook what ``attempt`` implies now; answers whether anything was sent."""
    if attempt is None:
        return False
    sitting = attempt.sitting
    wanted = gradebook_score(attempt, max_points(sitting.org, sitting.subject))
    if wanted is None:
        return False
    earned, possible, deleted = wanted
    block = compat.request_cache(BLOCKS).get(attempt.usage_key)
    return compat.publish_grade(attempt.usage_key, attempt.user_key, earned, possible, block=block, deleted=deleted)


def _send_after_commit(pk):
    transaction.on_commit(lambda: follow(Attempt.objects.select_related("sitting").defer("sitting__bank").filter(pk=pk).first()))


def _attempt_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    """An attempt was written: when its state, result or release changed and the gradebook may
    hold something for it, send that after the commit (a rolled-back change sends nothing). A
    write of other columns (the address, the signals' count) costs a set intersection."""
    if raw or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    if instance.state == states.PUBLISHED or (instance.state in RETRACTED and instance.published_at is not None):
        _send_after_commit(instance.pk)


post_save.connect(_attempt_saved, sender=Attempt, dispatch_uid="vn_online_teaching.assessment.grades")


def ended_by_clock(attempt):
    """Mark the block complete for the learner whose attempt the server's clock ended (the
    periodic job, or a request of someone else): after the commit, with no runtime needed. A
    student handing in marks it through the request's own runtime (the submit handler)."""
    usage_key, user_key = attempt.usage_key, attempt.user_key
    transaction.on_commit(lambda: compat.complete_for_user_keys(usage_key, [user_key]))
