"""The demo's settings with the workbench's own front page, for running xblock-sdk's own test
suite with our blocks installed (tier 3 of scripts/test.sh): that suite counts one link per
scenario on the SDK's index, which the demo replaces (its view and its template) with a link per
scenario and role."""
import copy
import os

from .settings import *  # noqa: F401,F403 - the demo's settings, the front page changed back
from .settings import HERE, TEMPLATES

ROOT_URLCONF = "workbench.urls"
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [d for d in TEMPLATES[0]["DIRS"] if d != os.path.join(HERE, "templates")]
