"""The batch writers (archive/render/columns.py) write every cell exactly as the per-cell rules do
(``cells.csv_converter`` through the csv module, ``jsonl.line_writer``): whatever mix of kinds a
column holds in a batch, text that needs the formula guard, NFC or quotes, instants in or out of
UTC, a table of one column or of none."""
import csv
import datetime as dt
import io
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from vn_online_teaching.archive.render import cells, columns, csvfile, jsonl
from vn_online_teaching.core.exporting import Table

UTC = dt.UTC
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SAMPLES = [
    None, 0, -5, 12345678901234567890, True, False, Decimal("8.50"), Decimal("1E+2"), Decimal("NaN"), 2.5,
    "", "Nguyễn Thị Ánh", "Nguye\u0302\u0303n", "=SUM(A1)", "+84 912", "-5", "@x", "\tx", "\rx", "a,b", 'say "hi"',
    "dòng 1\ndòng 2", "a\r\nb", "nul\x00=1", "x" * 50, dt.date(2025, 9, 8), dt.date(2026, 1, 2),
    dt.datetime(2025, 9, 8, 2, 30, tzinfo=UTC), dt.datetime(2025, 9, 8, 2, 30, 0, 5, tzinfo=UTC),
    dt.datetime(2025, 9, 8, 9, 30, tzinfo=HANOI), dt.datetime(2025, 9, 8, 9, 30), dt.time(7, 30),
]


def expected_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    convert = cells.csv_converter()
    for row in rows:
        writer.writerow(convert(row))
    return buffer.getvalue()


def expected_json(columns_, rows):
    line = jsonl.line_writer(columns_)
    return "".join(line(row) for row in rows)


def written(columns_, rows):
    writer = columns.Writer(columns_)
    csv_text, json_text = [], []
    for batch_rows in columns.batches(rows, size=7):
        batch = writer.batch(batch_rows)
        csv_text.append(writer.csv_text(batch))
        json_text.append(writer.json_lines(batch))
    return "".join(csv_text), "".join(json_text)


def same_kind_column(kind, n, rng):
    pool = [v for v in SAMPLES if type(v) is kind]
    return [rng.choice(pool) for _ in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_come_out_as_the_per_cell_rules_write_them(seed):
    rng = random.Random(seed)
    width = rng.randint(1, 6)
    kinds = [type(v) for v in SAMPLES]
    plan = [rng.choice([None, *kinds]) for _ in range(width)]  # None: a column mixing every kind
    n = rng.randint(0, 40)
    data = [same_kind_column(k, n, rng) if k is not None else [rng.choice(SAMPLES) for _ in range(n)] for k in plan]
    rows = list(zip(*data)) if n else []
    columns_ = [(f"c{i}", f"C{i}") for i in range(width)]
    csv_text, json_text = written(columns_, rows)
    assert csv_text == expected_csv(rows)
    assert json_text == expected_json(columns_, rows)


@pytest.mark.parametrize("column", [
    ["Nguyễn", "An", "Bình"],  # NFC already: written as it is
    ["Nguyễn", "Nguye\u0302\u0303n"],  # one cell not in NFC: the column is normalised cell by cell
    ["An", "=1+1"], ["=1+1", "An"], ["An", "nul\x00=x"],  # a formula start anywhere, or a false alarm
    ["a,b", "c"], ["", ""], ["x"],
])
def test_a_text_column_is_checked_as_a_whole_and_still_written_cell_by_cell_right(column):
    rows = [(value, i) for i, value in enumerate(column)]
    columns_ = [("name", "Name"), ("n", "No.")]
    assert written(columns_, rows) == (expected_csv(rows), expected_json(columns_, rows))


def test_a_table_of_one_column_writes_an_empty_cell_as_the_csv_module_does():
    rows = [("",), ("a",), (None,), ("",)]
    csv_text, _json = written([("c", "C")], rows)
    assert csv_text == expected_csv(rows) and csv_text.startswith('""\r\n')


def test_a_table_without_columns_still_has_one_line_per_row():
    rows = [(), ()]
    assert written([], rows) == (expected_csv(rows), "{}\n{}\n")


def test_the_files_are_the_per_cell_files():
    rows = [(i, "Đặng Quốc Huy" if i % 3 else "=HYPERLINK(1)", dt.datetime(2025, 9, 8, 2, i % 60, tzinfo=UTC),
             None if i % 2 else Decimal("7.5")) for i in range(1500)]
    columns_ = (("n", "No."), ("name", "Name"), ("at", "Time"), ("score", "Score"))
    table = Table("attendance", "marks", "Marks", columns_, lambda: iter(rows))
    data = b"".join(csvfile.chunks(table)).decode("utf-8")
    assert data == "\ufeffn,name,at,score\r\n" + expected_csv(rows)
    assert b"".join(jsonl.chunks(table)).decode("utf-8") == expected_json(columns_, rows)
