"""What a student typed, made comparable and safe to keep.

Short text answers are compared the way a teacher reading them would: the same letters
composed or decomposed (NFC), upper or lower case and extra spaces make no difference; whether
the diacritics do is the question's choice ("Hà Nội" against "Ha Noi"), because in some answers
the tone marks are the point and in others they are noise from a phone keyboard.
"""
from ..core import text

MAX_SHORT = 200     # a short answer is a number or a few words
MAX_ESSAY = 20_000  # an essay typed in the browser


def normalise_text(value, ignore_diacritics=False):
    """The comparison key of a short text answer."""
    value = text.clean(value or "", multiline=False)
    if ignore_diacritics:
        return text.fold(value)
    return " ".join(value.casefold().split())
