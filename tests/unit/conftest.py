"""Unit tests read messages in English (the source language), whatever the demo settings'
default language is; tests about Vietnamese switch to it explicitly."""
import pytest


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
