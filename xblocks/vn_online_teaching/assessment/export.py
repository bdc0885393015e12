"""The periodic tests' records in the archive (core/exporting.py): each test's sitting, the head of
school's remote decisions, every attempt with the paper exactly as delivered, every saved answer,
scores and their history, essay marks, integrity events and the teachers' decisions on them,
accommodations and changes of the window, and the score sheet (docs/circular-09.md, periodic
assessment: the school keeps the process and the results).

Each delivered paper is a file holding the stored paper in the audit log's canonical JSON, byte
for byte, so its SHA-256 is the attempt's ``paper_hash`` that the finalisation's audit entry seals:
an inspector checks a paper with ``sha256sum`` alone.

What the papers were drawn from is kept per test as the sitting last held it (records.sitting_for:
every start brings it up to date first): the blueprint as a table of its cells, and the question
bank twice, as a table a person reads (one row per question, its key and marking guide) and as a
file ``assessment/banks/<test no.>.json`` holding the stored bank in canonical JSON, whose SHA-256
is the test's ``bank_hash``. A test last seen before the sitting kept its bank has neither file
nor rows until its block is next used.

Which records a scope covers, by their own dates:
- a test (its sitting, and its score sheet): the planned opening (``opens``);
- an attempt, and the answers saved in it: the attempt's start (``started_at``);
- a decision, a mark, a re-scoring, an integrity event, an accommodation, a window change: its
  own time (``decided_at`` or ``at``).
The courses of a scope are the sitting's ``course_key``.
"""
from decimal import Decimal

from ..core import roster
from ..core.audit import canonical_json
from ..core.exporting import (File, Labels, Table, bytes_reader, counted, json_text, label, query_table, roster_value,
                              safe_name, stream, stream_ordered)
from ..core.i18n import N_, gettext
from . import evidence, levels, questions, results, scoring, states
from .models import (Accommodation, Answer, Attempt, EssayMark, IntegrityDecision, IntegrityEvent, RemoteDecision,
                     ScoreHistory, Sitting, SittingChange)

FEATURE = "assessment"
PAPER_DIR = "assessment/papers"
BANK_DIR = "assessment/banks"


# The records a scope covers ----------------------------------------------------------------------

def _sittings(scope):
    return scope.dates(scope.courses(Sitting.objects.all()), "opens")


def _of_sitting(model, prefix, date_field):
    def query(scope):
        queryset = scope.courses(model.objects.all(), f"{prefix}org", f"{prefix}course_key")
        return scope.dates(queryset, date_field)
    return query


def _answers(scope):
    """The answers of the scope's attempts: an answer belongs to its attempt's day."""
    queryset = scope.courses(Answer.objects.all(), "attempt__sitting__org", "attempt__sitting__course_key")
    return scope.dates(queryset, "attempt__started_at")


_attempts = _of_sitting(Attempt, "sitting__", "started_at")
QUERIES = {
    Sitting: _sittings,
    RemoteDecision: _of_sitting(RemoteDecision, "sitting__", "decided_at"),
    Attempt: _attempts,
    Answer: _answers,
    ScoreHistory: _of_sitting(ScoreHistory, "attempt__sitting__", "at"),
    EssayMark: _of_sitting(EssayMark, "attempt__sitting__", "at"),
    IntegrityEvent: _of_sitting(IntegrityEvent, "sitting__", "at"),
    IntegrityDecision: _of_sitting(IntegrityDecision, "sitting__", "at"),
    Accommodation: _of_sitting(Accommodation, "sitting__", "at"),
    SittingChange: _of_sitting(SittingChange, "sitting__", "at"),
}


def counts(scope):
    return counted(QUERIES, scope)


def paper_path(attempt_id, user_key):
    return f"{PAPER_DIR}/{attempt_id}-{safe_name(user_key, 40)}.json"


def bank_path(sitting_id, bank_hash):
    """The bank's file of a test; None while its sitting holds no bank yet (``bank_hash`` "")."""
    return f"{BANK_DIR}/{sitting_id}.json" if bank_hash else None


STATE_LABELS = Labels(states.STATE_LABELS)
EVENT_LABELS = Labels({**evidence.SIGNALS, **evidence.SERVER_EVENTS})


def _result(part):
    """A column of the stored result (``scoring.Result.as_record``): exact text, None before scoring."""
    return lambda result: (result or {}).get(part)


STAFF = (("by_name", N_("Done by")), ("role", N_("In the role of")), ("by_key", N_("By (user key)")),
         ("at", N_("Time")))
LEARNER = {"sector_id": roster_value("sector_id", "sitting__org"),
           "full_name": roster_value("full_name", "sitting__org")}
ATTEMPT_LEARNER = {"sector_id": roster_value("sector_id", "attempt__sitting__org", "attempt__user_key"),
                   "full_name": roster_value("full_name", "attempt__sitting__org", "attempt__user_key")}
WHO = (("sector_id", N_("Sector ID")), ("full_name", N_("Full name")))


def _table(name, title, model, dated_by, columns, annotate=None):
    return lambda scope: query_table(FEATURE, name, title, columns, lambda: QUERIES[model](scope),
                                     model=label(model), annotate=annotate, dated_by=dated_by)


TABLES = (
    _table("tests", N_("Periodic tests"), Sitting, "opens", (
        ("id", N_("Record no.")), ("title", N_("Test")), ("course_key", N_("Course")), ("class_name", N_("Class")),
        ("subject", N_("Subject")), ("opens", N_("Opens")), ("closes", N_("Closes")),
        ("minutes", N_("Time limit (minutes)")), ("grace_seconds", N_("Grace after the deadline (seconds)")),
        ("mode", N_("Mode of the test")), ("corrections", N_("Corrected answer keys"), "corrections", json_text),
        ("blueprint", N_("Blueprint"), "blueprint", json_text), ("bank_hash", N_("SHA-256 of the question bank")),
        ("created_at", N_("Created at")), ("updated_at", N_("Last changed at")), ("usage_key", N_("Block ID")),
        ("bank_file", N_("Question bank as stored"), ("pk", "bank_hash"), bank_path))),
    _table("remote_decisions", N_("Decisions to sit remotely"), RemoteDecision, "decided_at", (
        ("id", N_("Record no.")), ("test", N_("Test no."), "sitting_id"), ("reason", N_("Reason")),
        ("students", N_("Students (user keys)"), "students", json_text), ("decided_by_name", N_("Decided by")),
        ("role", N_("In the role of")), ("decided_by", N_("By (user key)")), ("decided_at", N_("Time")))),
    _table("attempts", N_("Attempts"), Attempt, "started_at", (
        ("id", N_("Record no.")), ("test", N_("Test no."), "sitting_id"), *WHO, ("user_key", N_("User key")),
        ("state", N_("State"), "state", STATE_LABELS), ("state_code", N_("State code"), "state"),
        ("mode", N_("Mode of the test")), ("started_at", N_("Started at")), ("deadline_at", N_("Deadline")),
        ("accept_until", N_("Saves accepted until")), ("ended_at", N_("Ended at")), ("reopened_at", N_("Reopened")),
        ("reopen_minutes", N_("Minutes after reopening")), ("score", N_("Score"), "result", _result("score")),
        ("raw", N_("Points"), "result", _result("raw")), ("maximum", N_("Out of"), "result", _result("maximum")),
        ("verdict", N_("Verdict"), "result", _result("verdict")),
        ("result", N_("Result as stored"), "result", json_text), ("published_at", N_("Results released")),
        ("seed", N_("Paper drawn with")), ("paper_hash", N_("SHA-256 of the paper")),
        ("sheet_hash", N_("SHA-256 of the answer sheet")), ("saves", N_("Saves")), ("last_seq", N_("Last save")),
        ("signals", N_("Browser signals")), ("device_bound_at", N_("Bound to a device")),
        ("ip", N_("Network address")), ("last_ip", N_("Last network address")), ("user_agent", N_("Browser")),
        ("updated_at", N_("Last changed at")), ("paper", N_("Paper as delivered"), ("pk", "user_key"), paper_path)),
        annotate=LEARNER),
    _table("answers", N_("Answers"), Answer, "attempt_started", (
        ("id", N_("Record no.")), ("attempt", N_("Attempt no."), "attempt_id"),
        ("user_key", N_("User key"), "attempt__user_key"),
        ("attempt_started", N_("Attempt started"), "attempt__started_at"), ("seq", N_("Save")),
        ("position", N_("Question no.")),
        ("question_id", N_("Question in the bank")), ("response", N_("Answer"), "response", json_text),
        ("saved_at", N_("Saved at")))),
    _table("essay_marks", N_("Essay marks"), EssayMark, "at", (
        ("id", N_("Record no.")), ("attempt", N_("Attempt no."), "attempt_id"), *WHO,
        ("user_key", N_("User key"), "attempt__user_key"), ("question_id", N_("Question in the bank")),
        ("points", N_("Points")), ("comment", N_("Comment")), ("reason", N_("Reason")), *STAFF),
        annotate=ATTEMPT_LEARNER),
    _table("score_history", N_("Score history"), ScoreHistory, "at", (
        ("id", N_("Record no.")), ("attempt", N_("Attempt no."), "attempt_id"),
        ("user_key", N_("User key"), "attempt__user_key"), ("kind", N_("Kind")), ("reason", N_("Reason")),
        ("old_score", N_("Score before"), "change", lambda c: ((c or {}).get("old") or {}).get("score")),
        ("new_score", N_("Score after"), "change", lambda c: ((c or {}).get("new") or {}).get("score")),
        ("change", N_("Score change"), "change", json_text), *STAFF)),
    _table("integrity_events", N_("Integrity events"), IntegrityEvent, "at", (
        ("id", N_("Record no.")), ("test", N_("Test no."), "sitting_id"), ("attempt", N_("Attempt no."), "attempt_id"),
        *WHO, ("user_key", N_("User key")), ("kind", N_("Event"), "kind", EVENT_LABELS),
        ("kind_code", N_("Event code"), "kind"), ("source", N_("Seen by")), ("at", N_("Time")),
        ("client_at", N_("Time on the student's device")), ("data", N_("Details of the event"), "data", json_text)),
        annotate=LEARNER),
    _table("integrity_decisions", N_("Integrity decisions"), IntegrityDecision, "at", (
        ("id", N_("Record no.")), ("test", N_("Test no."), "sitting_id"), ("attempt", N_("Attempt no."), "attempt_id"),
        *WHO, ("user_key", N_("User key")), ("verdict", N_("Decision on the attempt")), ("reason", N_("Reason")),
        ("minutes", N_("Minutes given")), ("until", N_("Retake allowed until")), ("state_before", N_("State before")),
        ("state_after", N_("State after")), *STAFF), annotate=LEARNER),
    _table("accommodations", N_("Accommodations"), Accommodation, "at", (
        ("id", N_("Record no.")), ("test", N_("Test no."), "sitting_id"), ("attempt", N_("Attempt no."), "attempt_id"),
        *WHO, ("user_key", N_("User key")), ("kind", N_("Kind")), ("minutes", N_("Minutes")),
        ("reason", N_("Reason")), *STAFF), annotate=LEARNER),
    _table("sitting_changes", N_("Changes of the test window"), SittingChange, "at", (
        ("id", N_("Record no.")), ("test", N_("Test no."), "sitting_id"), ("kind", N_("Kind")),
        ("until", N_("New closing time")), ("reason", N_("Reason")), *STAFF)),
)


# What the papers were drawn from: the blueprint's cells and the bank's questions -----------------

LEVEL_LABELS = Labels({code: level.label for code, level in levels.LEVELS.items()})
FORMAT_LABELS = Labels(questions.FORMATS)
TRUE, FALSE = N_("True"), N_("False")
TEST = (("test", N_("Test no.")), ("title", N_("Test")), ("opens", N_("Opens")))
BLUEPRINT_COLUMNS = (
    *TEST, ("row", N_("Row")), ("topic", N_("Topic")), ("level", N_("Level")), ("level_code", N_("Level code")),
    ("format", N_("Question format")), ("format_code", N_("Format code")), ("count", N_("Number of questions")),
    ("points", N_("Points per question")))
BANK_COLUMNS = (
    *TEST, ("number", N_("No.")), ("question_id", N_("Question code")), ("format", N_("Question format")),
    ("format_code", N_("Format code")), ("topic", N_("Topic")), ("level", N_("Level")),
    ("level_code", N_("Level code")), ("points", N_("Points")), ("stem", N_("Question")),
    ("options", N_("Options or statements")), ("key", N_("Answer key")),
    ("corrected_key", N_("Corrected answer key")), ("guide", N_("Marking guide")))


def _decimal(text):
    """Points as stored (numbers.to_text: "0.25") as a number; None when not given."""
    return None if text in (None, "") else Decimal(text)


def _blueprint_rows(scope):
    """One row per cell of each test's blueprint, in the blueprint's order (a blueprint is at most
    200 cells: a window of tests is small)."""
    level, fmt = LEVEL_LABELS.reader(), FORMAT_LABELS.reader()
    for pk, title, opens, plan in stream(_sittings(scope), "pk", "title", "opens", "blueprint"):
        for row, cell in enumerate((plan or {}).get("cells") or (), start=1):
            yield (pk, title, opens, row, cell.get("topic"), level(cell.get("level")), cell.get("level"),
                   fmt(cell.get("format")), cell.get("format"), cell.get("count"), _decimal(cell.get("points")))


def _options(question):
    """The options (A-D) or statements (a-d) of a question, one a line, as the paper letters them."""
    if question.get("format") == questions.MCQ:
        return "\n".join(f"{x}. {o}" for x, o in zip(questions.OPTION_LETTERS, question.get("options") or ()))
    if question.get("format") == questions.TRUE_FALSE:
        return "\n".join(f"{x}) {o}" for x, o in zip(questions.STATEMENT_LETTERS, question.get("statements") or ()))
    return None


def _key(question, yes, no):
    """The answer key as a teacher writes it: "B"; "a) True, b) False, …"; "2.5 ± 0.1"; the accepted
    answers one after another; None for an essay (its marking guide is the key) or no question."""
    fmt = (question or {}).get("format")
    if fmt == questions.MCQ:
        return question.get("answer")
    if fmt == questions.TRUE_FALSE:
        return ", ".join(f"{x}) {yes if a else no}"
                         for x, a in zip(questions.STATEMENT_LETTERS, question.get("answers") or ()))
    if fmt == questions.SHORT_ANSWER and question.get("kind") == questions.NUMBER:
        tolerance = question.get("tolerance")
        return question.get("number") if _decimal(tolerance) in (None, 0) else f"{question.get('number')} ± {tolerance}"
    if fmt == questions.SHORT_ANSWER:
        return " | ".join(question.get("texts") or ())
    return None


def _bank_of(sitting_id):
    return Sitting.objects.filter(pk=sitting_id).values_list("bank", flat=True).get()


def _bank_rows(scope):
    """One row per question of each test's bank, one bank read at a time (a bank may hold a few
    hundred questions of rich text): the stem, options and guide as stored (HTML), the key, and
    the key corrected after the sitting when there is one."""
    level, fmt = LEVEL_LABELS.reader(), FORMAT_LABELS.reader()
    yes, no = gettext(TRUE), gettext(FALSE)
    for pk, title, opens, corrections in stream(_sittings(scope).exclude(bank_hash=""), "pk", "title", "opens",
                                                "corrections"):
        for number, question in enumerate(_bank_of(pk) or (), start=1):
            corrected = (corrections or {}).get(question.get("id"))
            yield (pk, title, opens, number, question.get("id"), fmt(question.get("format")), question.get("format"),
                   question.get("topic"), level(question.get("level")), question.get("level"),
                   _decimal(question.get("points")), question.get("stem"), _options(question),
                   _key(question, yes, no), _key(corrected, yes, no) if corrected else None, question.get("guide"))


# The score sheet ---------------------------------------------------------------------------------

SHEET_COLUMNS = (
    ("test", N_("Test no.")), ("title", N_("Test")), ("class_name", N_("Class")), ("subject", N_("Subject")),
    ("opens", N_("Opens")), ("number", N_("No.")), ("sector_id", N_("Sector ID")), ("full_name", N_("Full name")),
    ("score", N_("Score")), ("shown", N_("Score as written")), ("state", N_("State")))


def _sheet_rows(scope):
    """Each test's score sheet as the results page writes it (``results``: the class list in its
    order, the score by the school's policy, how the attempt ended), one test held at a time."""
    for pk, usage_key, org, class_name, subject, title, opens in stream_ordered(
            _sittings(scope).order_by("opens", "pk"), "pk", "usage_key", "org", "class_name", "subject", "title",
            "opens"):
        policy = scoring.policy_for(org, subject)
        attempts = {a.user_key: a for a in evidence.attempts(usage_key)}
        endings = evidence.endings(usage_key)
        learners = sorted((x for x in roster.learners(org, class_name) if x.user_key),
                          key=lambda x: results.class_order(x.full_name))
        for number, learner in enumerate(learners, start=1):
            attempt = attempts.get(learner.user_key)
            score, shown, state = results.cells(attempt, endings, policy)
            yield (pk, title, class_name, subject, opens, number, learner.sector_id, learner.full_name, score, shown,
                   state)


def tables(scope):
    for table in TABLES:
        yield table(scope)
    yield Table(FEATURE, "blueprints", N_("Blueprints of the tests"), BLUEPRINT_COLUMNS,
                lambda: _blueprint_rows(scope), dated_by="opens")
    yield Table(FEATURE, "bank", N_("Question banks of the tests"), BANK_COLUMNS, lambda: _bank_rows(scope),
                dated_by="opens")
    yield Table(FEATURE, "score_sheet", N_("Score sheet"), SHEET_COLUMNS, lambda: _sheet_rows(scope),
                printable="score_sheet", dated_by="opens")


# Files -------------------------------------------------------------------------------------------

PAPER_WINDOW = 200


def files(scope):
    for sitting_id, bank_hash in stream(_sittings(scope).exclude(bank_hash=""), "pk", "bank_hash"):
        yield File(bank_path(sitting_id, bank_hash), bytes_reader(lambda pk=sitting_id: canonical_json(_bank_of(pk))),
                   model=label(Sitting))
    # The papers with their attempts, a window of PAPER_WINDOW at a time (a paper is ~12 KB): one
    # query per window instead of one per paper, memory still bounded.
    for attempt_id, user_key, paper in stream(_attempts(scope), "pk", "user_key", "paper", size=PAPER_WINDOW):
        yield File(paper_path(attempt_id, user_key), bytes_reader(lambda value=paper: canonical_json(value)),
                   model=label(Attempt))


# Disposal ------------------------------------------------------------------------------------------

def dispose(scope, record_types):
    """Delete the tests of ``scope`` with their attempts, papers, answers, scores and their
    history, essay marks, integrity events and decisions, accommodations and window changes (the
    same queries as ``counts``), when the decision names the assessment records; a record that a
    record outside the scope still refers to stays (core/disposing.py)."""
    from ..core import disposing  # noqa: PLC0415 - kept beside the function: the tables above change often

    return disposing.dispose(QUERIES, dict.fromkeys(QUERIES, (disposing.ASSESSMENT,)), scope, record_types)
