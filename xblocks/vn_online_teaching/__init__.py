"""Open edX XBlocks for online teaching in Vietnamese schools (Circular 09/2021/TT-BGDĐT)."""

__version__ = "0.1.0"
