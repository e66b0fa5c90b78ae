"""An empty draft has no score in the app: "–" in the score widgets, and nothing kept as
its score in the library (so it sorts as having no score, not as 100)."""

from __future__ import annotations

from coach.library import DraftStore
from coach.ui.library_model import KEYS


def test_an_empty_draft_shows_no_score(make_window, qtbot, wait):
    w = make_window("Which launch surprised you most?")
    assert w.scores.ring.value is not None
    w.editor.selectAll()
    qtbot.keyClicks(w.editor, "   ")
    result = wait(qtbot, w)
    assert result.report is not None and result.report.scores is None
    assert w.scores.ring.value is None
    assert all(m.value is None for m in w.scores.meters.values())
    assert "100" not in w.scores.ring.accessibleName()


def test_an_empty_draft_keeps_no_score_in_the_library(library_window, tmp_path, qtbot, wait,
                                                    wait_list):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        # A library written before empty drafts had no score: 100 was kept for it.
        empty = store.add("  \n", scores={"overall": 100, "dialogue": 100})
        other = store.add("BIG NEWS!!! Buy now!!!", scores={"overall": 40})
    w = library_window()
    w.open_draft(empty)
    wait(qtbot, w)
    assert w.scores.ring.value is None

    def kept():
        with DraftStore(path, auto_backup=False) as store:
            assert store.get(empty).scores is None
            assert store.search_ids(sort="-score") == [other, empty]
    qtbot.waitUntil(kept, timeout=3000)
    wait_list(qtbot, w)
    model = w.librarian.view.model

    def shown():
        row = model.row_of(empty)
        assert row is not None
        assert model.index(row, KEYS.index("score")).data() == "—"
    qtbot.waitUntil(shown, timeout=3000)
