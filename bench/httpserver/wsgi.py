"""The WSGI application gunicorn preloads in its master (scripts/server.sh). The workbench maps
usage ids to blocks in memory, filled when its scenarios are first listed; the LMS reads them from
its modulestore. So the scenarios are loaded here, once, before the workers fork: every worker,
a respawned one too, then serves handler URLs from its first request. The master's database
connections are closed before the fork (a connection must not be shared by processes)."""
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections

application = get_wsgi_application()


def _load_scenarios():
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    get_scenarios()
    if getattr(settings, "VNOT_BENCH_SCENARIOS", False):
        from .scenarios import register  # noqa: PLC0415

        register()
    connections.close_all()


_load_scenarios()
