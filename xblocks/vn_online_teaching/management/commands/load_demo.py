"""``load_demo``: the workbench demo's people, roles, roster, materials, lessons and periodic tests (safe to run
again)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the Vietnamese demo data into the workbench (idempotent)."

    def handle(self, *args, **opts):
        from ...demo.load import (load_assessments, load_ended_assessment, load_lessons,  # noqa: PLC0415 - demo only
                                  load_materials, load_people)
        from ...demo.people import ROLE_GUIDE  # noqa: PLC0415

        load_people()
        fingerprint = demo_signing_key()
        done = load_materials()
        lessons = load_lessons()
        tests = load_assessments()
        ended = load_ended_assessment()
        self.stdout.write(f"Demo data ready ({len(done)} materials walked through the workflow, lessons planned "
                          f"in {len(lessons)} attendance blocks, access codes set for {len(tests)} periodic tests, "
                          f"the ended test {'sat by the class' if ended else 'already sat'}).")
        self.stdout.write(f"Archive packages are signed with the demo's key, fingerprint {fingerprint}.")
        self.stdout.write("Open the demo's front page (/) for a link per scenario and role.")
        for username, role in ROLE_GUIDE:
            self.stdout.write(f"  ?student={username:8}  {role}")


def demo_signing_key():
    """The demo's archive signing key (the ARCHIVE_SIGNING_KEY setting of the demo), made on the
    first run and kept after: the fingerprint of packages already exported stays the same."""
    from ...archive import signing  # noqa: PLC0415 - demo only
    from ...archive import settings as archive_settings  # noqa: PLC0415

    path = archive_settings.get("ARCHIVE_SIGNING_KEY", None)
    try:
        key = signing.write_new_key(path)
    except FileExistsError:
        key = signing.load_private_key(path)
    return signing.fingerprint(key)
