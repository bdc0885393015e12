"""``load_demo``: the workbench demo's people, roles, roster, materials, lessons and periodic tests (safe to run
again)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the Vietnamese demo data into the workbench (idempotent)."

    def handle(self, *args, **opts):
        from ...demo.load import load_assessments, load_lessons, load_materials, load_people  # noqa: PLC0415 - demo only
        from ...demo.people import ROLE_GUIDE  # noqa: PLC0415

        load_people()
        done = load_materials()
        lessons = load_lessons()
        tests = load_assessments()
        self.stdout.write(f"Demo data ready ({len(done)} materials walked through the workflow, lessons planned "
                          f"in {len(lessons)} attendance blocks, access codes set for {len(tests)} periodic tests).")
        for username, role in ROLE_GUIDE:
            self.stdout.write(f"  ?student={username:8}  {role}")
