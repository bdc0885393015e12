"""``finalise_attempts``: end every periodic-test attempt whose time and grace are over, whether or
not its browser is still there (assessment/ending.py, ``finalise_due``). Run it every minute
(cron, or a Kubernetes CronJob beside the LMS); the next request of a student does the same for
their own attempt, so a missed run only delays the attempts nobody comes back to."""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...assessment.ending import finalise_due


class Command(BaseCommand):
    help = "End the periodic-test attempts whose deadline and grace have passed."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, metavar="N",
                            help="finalise at most N attempts in this run (the earliest deadlines first)")

    def handle(self, *args, **opts):
        done = finalise_due(limit=opts["limit"])
        self.stdout.write(_("Attempts finalised: {count}.").format(count=done))
