"""The real clock, for the run's figures: every example runs on a frozen clock (world.NOW), and
freezegun leaves calls made from this module alone (conftest.REAL_TIME_FOR)."""
import time


def seconds():
    return time.perf_counter()
