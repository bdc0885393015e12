"""A short run of the HTTP benchmark (bench/http_load.py) on the tier's server: 30 students saving
every 2–6 s for 20 s, then 40 students of ten classes checking in at the same instant, beside the
bare view. It asserts no error and no lost save, never a time."""
import asyncio
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

spec = importlib.util.spec_from_file_location("http_load", os.path.join(ROOT, "bench", "http_load.py"))
http_load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(http_load)


def test_short_load_and_check_in_burst(server):
    """Reproduces a class sitting a periodic test (each page saving on every change) and the 7:30
    check-in of several classes, over HTTP on the LMS's process model (2 sync workers): every
    request is answered 200, every acknowledged answer is in the database, one attempt each, and
    every check-in and bare write is made."""
    result = asyncio.run(http_load.run(server, server.url, 30, 20, 40))
    print(http_load.report(result, 30))
    assert http_load.failures(result) == []
    assert result["sitting"]["acked"] > 30
