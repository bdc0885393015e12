"""An export's progress (archive/jobs.py): saved once every ``every`` rows of a table, whatever
the table's size, and the table's row count kept for the job's record."""
from types import SimpleNamespace

from vn_online_teaching.archive import jobs
from vn_online_teaching.core.exporting import Table


def test_progress_is_saved_every_n_rows_and_the_rows_are_counted(monkeypatch):
    saved = []
    monkeypatch.setattr(jobs.Progress, "save", lambda self: saved.append(self.rows))
    progress = jobs.Progress(SimpleNamespace(pk=1), total=3, every=3)
    counts = {"tables": {}, "models": {}}
    table = Table("attendance", "marks", "Marks", (("n", "No."),), lambda: iter([(i,) for i in range(10)]),
                  model="vn_online_teaching.Mark")
    counted = jobs._counted(table, progress, counts, "attendance/marks")
    assert [row for (row,) in counted.rows()] == list(range(10))
    assert saved == [3, 6, 9] and progress.rows == 10
    assert counts == {"tables": {"attendance/marks": 10}, "models": {"vn_online_teaching.Mark": 10}}
    progress.step("Next table")
    assert saved[-1] == 0 and progress.rows == 0
    empty = jobs._counted(Table("a", "b", "B", (("n", "No."),), lambda: iter(())), progress, counts, "a/b")
    assert list(empty.rows()) == [] and counts["tables"]["a/b"] == 0 and len(saved) == 4
