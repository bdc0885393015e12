"""``screen_responses FILE.csv --key KEY [--alpha 0.05] [--method bonferroni|bh] [--json]``: screen
an exported response file for pairs of students whose answers agree more than their abilities
explain (assessment/integrity/screening.py; docs/integrity-guide.md says how to read it).

The file has the header ``student,answers``; ``answers`` is one letter per question (A-D, ``-``
for a blank) and KEY the right letters in the same order. The pairs listed are *worth a look*,
for a person to review; none is a finding. ``--json`` prints the result in English keys for other
programs; without it the text is translated. A file that cannot be read ends with exit code 2 and
the reason."""
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...assessment.integrity import responses
from ...assessment.integrity.screening import BONFERRONI, METHODS, VERIFIED_QUESTIONS, screen

METHOD_NAMES = {"bonferroni": "Bonferroni", "bh": "Benjamini-Hochberg"}


class Command(BaseCommand):
    help = "Screen a response file for pairs of students with unusually similar answers (for human review)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="header student,answers; one letter per question")
        parser.add_argument("--key", required=True, help="the right letters, in the file's question order")
        parser.add_argument("--alpha", type=float, default=0.05,
                            help="the false-alarm rate allowed over all pairs (default 0.05)")
        parser.add_argument("--method", choices=METHODS, default=BONFERRONI,
                            help="bonferroni (no honest pair flagged, with probability 1 - alpha) or bh "
                                 "(Benjamini-Hochberg: at most alpha of the flags false, on average)")
        parser.add_argument("--json", action="store_true", help="print JSON (English keys) instead of text")

    def handle(self, *args, **opts):
        alpha = opts["alpha"]
        if not 0 < alpha < 1:
            raise CommandError(_("The false-alarm rate (--alpha) must be between 0 and 1."), returncode=2)
        try:
            key = responses.read_key(opts["key"])
            answers = responses.read_path(opts["file"], key)
        except responses.ResponseFileError as exc:
            raise CommandError(_(exc.message).format(**exc.params), returncode=2) from None
        result = screen(answers, responses.key_map(key), alpha=alpha, method=opts["method"])
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._text(result)

    def _text(self, result):
        write = self.stdout.write
        write(_("Screening for unusual agreement: {students} students, {questions} questions, {pairs} pairs "
                "compared.").format(students=result.students, questions=result.questions, pairs=result.pairs_tested))
        write(_("False-alarm control: {method}, alpha = {alpha} over all pairs.").format(
            method=METHOD_NAMES[result.method], alpha=result.alpha))
        if not result.verified:
            write(_("Warning: with more than {limit} questions the false-alarm rate has not been checked and may be "
                    "higher than alpha; read the list with extra care.").format(limit=VERIFIED_QUESTIONS))
        if not result.pairs:
            write(_("No pair agrees more than chance explains at this level."))
        else:
            write(_("Pairs worth a look (most unusual first):"))
            for pair in result.pairs:
                write(_("{a} and {b}: {identical} identical answers ({wrong} of them wrong) where about {expected} "
                        "were expected; longest identical run {run}; index {statistic}, p = {p}.").format(
                    a=pair.a, b=pair.b, identical=pair.identical, wrong=pair.identical_wrong,
                    expected=f"{pair.expected:.1f}", run=pair.longest_run, statistic=f"{pair.statistic:.2f}",
                    p=f"{pair.p:.2g}"))
        write(_("This screening is for human review only: a flagged pair is worth a look, not proof of cheating."))
