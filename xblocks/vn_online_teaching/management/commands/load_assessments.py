"""``load_assessments``: only the demo's periodic tests (the access code of the one ready to take, the
sitting of the one already over), for a demo whose other data is loaded (safe to run again)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo periodic tests: the access code, and the ended test sat by class 10A1 (idempotent)."

    def handle(self, *args, **opts):
        from ...demo.load import load_assessments, load_ended_assessment, load_people  # noqa: PLC0415 - demo only

        load_people()
        tests = load_assessments()
        ended = load_ended_assessment()
        self.stdout.write(f"Access codes set for {len(tests)} periodic tests; the ended test "
                          f"{'sat by class 10A1' if ended else 'was already sat'}.")
