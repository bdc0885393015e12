"""Numbers as Vietnamese teachers and students write them, and as questions store them.

In Vietnamese the comma is the decimal mark and the dot groups thousands ("1.234,5"), the other
way round from English; phones and habits from other software also bring the dot as a decimal
mark ("2.5"). The rule, one for answer keys typed in a spreadsheet and answers typed by students:

- the comma is the decimal mark: "2,5", "-0,75", ",5";
- thousands may be grouped by dots or spaces only in groups of three: "1.234.567", "1.234,5",
  "12 345";
- a single dot is a decimal mark when it cannot be a thousands dot: "2.5", "3.14159", "0.125",
  "1234.5";
- a single dot followed by exactly three digits after one to three digits other than a lone 0
  ("1.000", "12.345") is refused as ambiguous (1 or 1000?) instead of being guessed: the teacher
  or the student is asked to write it without a thousands separator ("1000") or with the comma
  ("1,000"). Guessing either way would mark someone's right answer wrong.

Stored numbers (``to_text``/``from_json``) are a different, machine format: a JSON number or a
string with the dot as decimal mark and no grouping ("1.125" there is one and an eighth).
"""
import re
from decimal import Decimal, InvalidOperation

from ..core.i18n import N_

MAX_LENGTH = 40
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_COMMA_DECIMAL = re.compile(r"-?[0-9]*,[0-9]+\Z|-?[0-9]+\Z")
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?P<sep>[. ])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:,[0-9]+)?\Z")
_DOT_DECIMAL = re.compile(r"-?[0-9]*\.[0-9]+\Z")
_AMBIGUOUS = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}\Z")
_CANONICAL = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?\Z")

NOT_A_NUMBER = N_("This is not a number: {value}.")
AMBIGUOUS = N_("{value} can be read two ways. Use the comma for decimals and no thousands separator, "
               "for example 1000 or 1,5.")


class NumberError(ValueError):
    """``value`` is not a number by the rule above; ``code`` is "bad_number" or
    "ambiguous_number" and ``message`` its message id (parameter ``value``)."""

    def __init__(self, code, message, value):
        super().__init__(code)
        self.code = code
        self.message = message
        self.value = value


def parse_number(value):
    """The ``Decimal`` a person wrote (see the module's rule), or ``NumberError``. A number read
    from a spreadsheet cell (int, float, Decimal) is taken as it is: the spreadsheet has already
    decided what it means."""
    if isinstance(value, bool):
        raise NumberError("bad_number", NOT_A_NUMBER, str(value))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise NumberError("bad_number", NOT_A_NUMBER, str(value))
        return number
    if not isinstance(value, str):
        raise NumberError("bad_number", NOT_A_NUMBER, "")
    written = value.strip().translate(_MINUS).removeprefix("+").strip()
    shown = value.strip()[:MAX_LENGTH]
    if not written or len(written) > MAX_LENGTH:
        raise NumberError("bad_number", NOT_A_NUMBER, shown)
    if _AMBIGUOUS.match(written):
        raise NumberError("ambiguous_number", AMBIGUOUS, shown)
    if _COMMA_DECIMAL.match(written):
        plain = written.replace(",", ".")
    elif _GROUPED.match(written):
        plain = written.replace(".", "").replace(" ", "").replace(",", ".")
    elif _DOT_DECIMAL.match(written):
        plain = written
    else:
        raise NumberError("bad_number", NOT_A_NUMBER, shown)
    if plain.startswith("-."):
        plain = "-0" + plain[1:]
    elif plain.startswith("."):
        plain = "0" + plain
    return Decimal(plain)


def to_text(number):
    """The stored form of ``number``: dot decimal mark, no exponent, no trailing zeros."""
    text = format(Decimal(number).normalize(), "f")
    return "0" if text in ("-0", "") else text


def from_json(value):
    """A number in the stored form (a JSON number or a ``to_text`` string) as a ``Decimal``, or
    ``NumberError`` (never a guess about separators: this is written by programs)."""
    if isinstance(value, bool):
        raise NumberError("bad_number", NOT_A_NUMBER, str(value))
    if isinstance(value, (int, float)):
        return parse_number(value)
    if isinstance(value, str) and _CANONICAL.match(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
            pass
    raise NumberError("bad_number", NOT_A_NUMBER, str(value)[:MAX_LENGTH])


def decimals(number):
    """How many decimal places ``number`` needs (0.250 needs 2)."""
    exponent = Decimal(number).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def to_vietnamese(number):
    """``number`` written with the decimal comma, no grouping ("0,25", "1000")."""
    return to_text(number).replace(".", ",")
