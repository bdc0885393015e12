"""Reading an exported response file for screening: a CSV with the header ``student,answers``,
each ``answers`` one letter per question (A-D, ``-`` for a blank), and a key of the right letters
in the same order. Every problem is a ``ResponseFileError`` whose message says what and where (in
English; the command translates it), so a teacher can fix the file rather than guess."""
import csv
import io

from ...core.i18n import N_

LETTERS = "ABCD"
BLANK = "-"
MAX_BYTES = 50 * 2**20        # a school's sitting is far below this; a bigger file is a mistake


class ResponseFileError(ValueError):
    """``message`` is a msgid to translate, ``params`` its values."""

    def __init__(self, message, **params):
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def read_key(text):
    """The key as a list of letters; spaces are ignored, any other letter refused."""
    key = "".join(str(text).split()).upper()
    if not key:
        raise ResponseFileError(N_("The key is empty."))
    bad = sorted(set(key) - set(LETTERS))
    if bad:
        raise ResponseFileError(N_("The key may hold only the letters A, B, C, D; it has: {letters}."),
                                letters=" ".join(bad))
    return list(key)


def read_path(path, key):
    """{student: {question number: letter}} from the file at ``path``."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ResponseFileError(N_("Cannot read {path}: {reason}."), path=path, reason=exc.strerror or exc) from None
    if len(data) > MAX_BYTES:
        raise ResponseFileError(N_("{path} is larger than {limit_mb} MB."), path=path, limit_mb=MAX_BYTES // 2**20)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResponseFileError(N_("{path} is not a UTF-8 text file."), path=path) from None
    return read_text(text, key)


def read_text(text, key):
    """The same from the file's text: questions are numbered 1.. in the key's order."""
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if header != ["student", "answers"]:
        raise ResponseFileError(N_("The first line must be the header student,answers."))
    answers = {}
    for line, row in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise ResponseFileError(N_("Line {line}: expected two columns (student, answers)."), line=line)
        student, letters = row[0].strip(), "".join(row[1].split()).upper()
        if not student:
            raise ResponseFileError(N_("Line {line}: the student is empty."), line=line)
        if student in answers:
            raise ResponseFileError(N_("Line {line}: student {student} appears twice."), line=line, student=student)
        if len(letters) != len(key):
            raise ResponseFileError(N_("Line {line}: {count} answers, but the key has {questions}."),
                                    line=line, count=len(letters), questions=len(key))
        bad = sorted(set(letters) - set(LETTERS + BLANK))
        if bad:
            raise ResponseFileError(N_("Line {line}: answers may be A, B, C, D or - (blank); found: {letters}."),
                                    line=line, letters=" ".join(bad))
        answers[student] = {q: letter for q, letter in enumerate(letters, start=1) if letter != BLANK}
    if len(answers) < 2:
        raise ResponseFileError(N_("The file needs at least two students to compare."))
    return answers


def key_map(key):
    """The key as {question number: letter}, as ``screening.screen`` takes it."""
    return dict(enumerate(key, start=1))
