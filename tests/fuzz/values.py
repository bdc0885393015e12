"""Values at the edges: what the findings of the first fuzz runs were made of, and their kin.

Dates far outside any school calendar, ids beyond 64 bits, text that is not valid Unicode (lone
surrogates), bare carriage returns, NUL and other control characters, very long text, wrong types.
"""
INTS = [0, -1, 1, 2, 7, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1,
        2**64, 2**64 + 1, -(2**64), 10**30, -(10**30)]
FLOATS = [0.5, -0.0, 1.0, 1e308, float("inf"), float("-inf"), float("nan"), 1e-300]

DATES = ["9999-12-31", "9999-12-27", "0001-01-01", "0001-01-07", "1900-01-01", "1999-12-31", "2000-01-01",
         "2099-12-31", "2100-01-01", "2025-02-29", "2024-02-29", "2025-13-01", "2025-09-31", "2025-00-10",
         "20250908", "2025-W37-1", "2025-09-08T07:30:00", "08/09/2025", "2025-9-8", "+2025-09-08",
         "2025-09-08\x00", " 2025-09-08", "２０２５-09-08", "2025-09-08\r", "9999-99-99", "-001-01-01"]
TIMES = ["00:00", "23:59", "23:30", "24:00", "23:59:59.999999", "07:30:00+07:00", "07:30Z", "7:30", "25:61",
         "07:3", "0730", "07:30\r", "\ud800:30", "T07:30"]
TEXTS = ["\ud800", "a\udfffb", "\udc00\ud800", "Bài 3\rLOCATION:Hà Nội", "x\rBEGIN:VEVENT", "\r", "\r\n", "\n",
         "a\r\n\r\nb", "\x00", "a\x00b", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u202eevil", "\ufeff", "\ufffe",
         "Tie\u0302\u0301ng Vie\u0323t", "👩\u200d🏫", " ", "", "\t", "   x   ",
         "</script><script>alert(1)</script>", "{field}{0}{limit_mb}%s%(x)s", "' OR 1=1 --", "\\", "\\n",
         "../../etc/passwd", "line,with;ics\\chars", "Ω" * 300, "x" * 5000]
URLS = ["https://example.edu.vn/bai-3", "http://meet.google.com/abc-defg-hij", "javascript:alert(1)",
        "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "http://", "https://", "https://a b", "https://\ud800",
        "HTTPS://EXAMPLE.EDU.VN", "//evil.example", "http://[::1", "ftp://files.example", "https://x\r\ny",
        "https://" + "a" * 3000 + ".vn", " https://example.edu.vn ", "https://exa mple.vn", "mailto:a@b.vn"]
NETWORKS = ["203.0.113.0/24", "10.0.0.0/8", "2001:db8::/32", "0.0.0.0/0", "10.1.2.3", "999.1.1.1/8",
            "10.0.0.0/33", "::/0", "not a network", "10.0.0.1/24", ""]
ADDRESSES = ["10.1.2.3", "203.0.113.7", "2001:db8::1", "127.0.0.1", "", "unknown", "10.1.2.3, 203.0.113.7"]
AGENTS = ["Mozilla/5.0 (Android 14) Chrome/130", "", "x" * 2000, "Mozilla/5.0 \x00\x1b", "Ã©Ã¨ (latin-1)"]

# Bodies no JSON handler should take for a JSON object.
RAW_BODIES = [b"", b"null", b"[]", b"{}", b'"x"', b"1", b"1e999999", b"NaN", b'{"a":1,"a":2}', b"{", b"}",
              b"[" * 100_000, b'{"x":' * 20_000, b"\xff\xfe{\x00}\x00", b"\xef\xbb\xbf{}", b'{"\xed\xa0\x80":1}',
              b'{"lesson": 1e400}', b'{"lesson": NaN}', b'{"lesson": -Infinity}', b"\x00" * 64,
              b'{"lesson": "1"}', b"{'lesson': 1}", b'{"__proto__": {"x": 1}}']

# Keys and values of nested objects for handlers that do not yet declare their nested fields.
NESTED_KEYS = ["user", "status", "remark", "location", "person", "username", "title", "url", "kind",
               "fits_lesson", "sound", "culture", "ip", "minutes", "name", "id"]
STATUSES = ["present", "late", "excused", "unexcused", "", "PRESENT", "absent"]
LOCATIONS = ["room", "online", "", "moon"]
LINK_KINDS = ["video", "website", "document", "audio", "other", ""]

# Suffixes and query parameters of GET handlers that do not declare theirs.
SUFFIXES = ["", "html", "xlsx", "csv", "/", "../../etc/passwd", "9" * 30, "-1", "%00", "%ED%A0%80", "1/2"]
QUERY_KEYS = ["week", "report", "scope", "format", "lesson", "from", "to", "date", "class"]
QUERY_VALUES = ["teachers", "materials", "school", "xlsx", "csv", "", "%ff%fe", "%ED%A0%80", "%00", "9" * 40]
