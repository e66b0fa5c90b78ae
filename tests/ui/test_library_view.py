"""The library view in the window (offscreen): the list, search and filters, sorting, the
actions on drafts, the trash, the details of the open draft, versions, and the keyboard."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coach.library import DraftRecord, DraftStore, default_library_path
from coach.library.model import clean_fields

pytestmark = pytest.mark.gui

CLIENTS = ("Acme", "Kopi Senja", "Müller GmbH")


def fill(path, n: int = 30) -> list[int]:
    """A library with ``n`` drafts in four languages, spread over clients and statuses."""
    texts = ("What would you change about our autumn menu, {i}?",
             "Kalau kamu boleh mengubah satu hal, apa itu? Nomor {i}",
             "¿Qué cambiarías de la cata de café {i}?",
             "Was würdet ihr am Workshop {i} ändern?")
    records = []
    for i in range(n):
        fields = clean_fields({
            "text": texts[i % 4].format(i=i), "client": CLIENTS[i % 3],
            "status": ("draft", "in_review", "approved", "published")[i % 4],
            "platform": ("linkedin", "x", "instagram")[i % 3],
            "language": ("en", "id", "es", "de")[i % 4],
            "tags": ["launch"] if i % 5 == 0 else [],
            "planned": date(2030, 1, 1) + timedelta(days=i) if i % 2 else None,
            "scores": {"overall": 40 + i % 60}})
        records.append(DraftRecord(fields))
    with DraftStore(path, auto_backup=False) as store:
        return list(store.import_drafts(records).added)


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, key, modifier)


def test_tests_never_touch_the_real_library(isolated_home):
    assert "COACH_LIBRARY" not in os.environ
    assert str(default_library_path()).startswith(str(isolated_home))


def test_the_list_shows_the_library(library_window, tmp_path):
    fill(tmp_path / "library.sqlite", 30)
    w = library_window()
    view = w.librarian.view
    assert view.model.rowCount() == 30
    assert view.count_label.text() == "30 drafts"
    assert w.librarian.dock.isVisible()
    titles = {view.model.row(r).title for r in range(30)}
    assert "Was würdet ihr am Workshop 3 ändern?" in titles
    assert view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_a_big_list_reads_only_the_pages_it_shows(library_window, tmp_path, qtbot):
    fill(tmp_path / "library.sqlite", 5_000)
    w = library_window()
    view = w.librarian.view
    assert view.model.rowCount() == 5_000
    qtbot.wait(50)
    assert view.model.fetched_pages <= 2  # the first screen only
    view.table.scrollToBottom()
    qtbot.wait(50)
    assert view.model.fetched_pages <= 4
    assert view.model.row(4_999) is not None
    view.table.verticalScrollBar().setValue(view.table.verticalScrollBar().maximum() // 2)
    qtbot.wait(50)
    assert view.model.fetched_pages <= 6
    assert len(view.model._pages) <= 6


def test_search_filters_the_list(library_window, tmp_path, qtbot, wait_list):
    path = tmp_path / "library.sqlite"
    fill(path, 40)
    with DraftStore(path, auto_backup=False) as store:
        special = store.add("A conversation with Frau Müller about the café", client="Acme")
    w = library_window()
    view = w.librarian.view
    w.find_in_library()
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "conv")  # a prefix finds the whole word
    wait_list(qtbot, w)
    assert view.model.ids == [special]
    view.search.clear()
    qtbot.keyClicks(view.search, "frau muller cafe")  # accents do not matter
    wait_list(qtbot, w)
    assert view.model.ids == [special]
    view.search.clear()
    wait_list(qtbot, w)
    assert view.model.rowCount() == 41

    with DraftStore(path, auto_backup=False) as store:
        for name, value, filters in (
                ("client", "Kopi Senja", {"client": "Kopi Senja"}),
                ("status", "in_review", {"status": "in_review"}),
                ("platform", "instagram", {"platform": "instagram"}),
                ("language", "de", {"language": "de"}),
                ("tag", "launch", {"tag": "launch"})):
            view.clear_filters()
            view.set_filter(name, value)
            wait_list(qtbot, w)
            assert view.model.ids == store.search_ids(**filters), name
            assert 0 < view.model.rowCount() < 41
            assert view.filter_button.text() == "Filters (1)"
        view.clear_filters()
        view.set_filter("planned_from", date(2030, 1, 10))
        view.set_filter("planned_to", date(2030, 1, 20))
        view.set_filter("client", "Acme")
        wait_list(qtbot, w)
        expected = store.search_ids(client="Acme", planned_from=date(2030, 1, 10),
                                    planned_to=date(2030, 1, 20))
        assert view.model.ids == expected and expected
    view.search_for("zzzz-nothing")
    wait_list(qtbot, w)
    assert view.model.rowCount() == 0
    assert view.stack.currentWidget() is view.empty
    assert "No drafts match" in view.empty.text()


def test_facets_fill_the_client_and_tag_filters(library_window, tmp_path, qtbot, wait_list):
    fill(tmp_path / "library.sqlite", 12)
    w = library_window()
    view = w.librarian.view
    view.filter_button.click()
    assert view.filters.isVisible()
    wait_list(qtbot, w)
    clients = [view.client_filter.itemText(i) for i in range(1, view.client_filter.count())]
    assert clients == sorted(CLIENTS, key=str.casefold)
    assert view.tag_filter.findData("launch") > 0
    assert w.librarian.details.client.findText("Müller GmbH") >= 0  # offered while typing


def test_sorting_by_a_column(library_window, tmp_path, qtbot, wait_list):
    path = tmp_path / "library.sqlite"
    fill(path, 25)
    w = library_window()
    view = w.librarian.view
    header = view.table.horizontalHeader()
    with DraftStore(path, auto_backup=False) as store:
        for key, column in (("score", 5), ("title", 0), ("client", 1)):
            header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
            wait_list(qtbot, w)
            assert view.model.ids == store.search_ids(sort=key), key
            header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
            wait_list(qtbot, w)
            assert view.model.ids == store.search_ids(sort=f"-{key}"), key


def test_narrow_lists_keep_the_title_readable(library_window, tmp_path, qtbot):
    fill(tmp_path / "library.sqlite", 3)
    w = library_window()
    view = w.librarian.view
    view.table.resize(260, 300)
    qtbot.wait(20)
    shown = view.visible_columns()
    assert shown[0] == "title" and "updated" not in shown and len(shown) < 7
    view.table.resize(1000, 300)
    qtbot.wait(20)
    assert len(view.visible_columns()) == 7


def test_open_new_duplicate_delete_restore_and_empty_the_trash(library_window, tmp_path,
                                                                 qtbot, wait, wait_list):
    path = tmp_path / "library.sqlite"
    ids = fill(path, 6)
    w = library_window()
    view = w.librarian.view
    target = ids[2]
    assert view.select_id(target)
    view.open_current()
    with DraftStore(path, auto_backup=False) as store:
        draft = store.get(target)
    assert w.text() == draft.text and w.session.draft_id == target
    assert w.librarian.details.client.currentText() == draft.client
    assert view.model.open_id == target
    assert view.model.data(view.model.index(view.model.row_of(target), 0),
                           Qt.ItemDataRole.FontRole).bold()
    wait(qtbot, w)

    copy = view.duplicate_current()
    wait_list(qtbot, w)
    assert copy in view.model.ids and view.current_id() == copy
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(copy).title.endswith("(copy)") and store.get(copy).text == draft.text

    view.select_id(ids[0])
    assert view.delete_selected() == 1
    wait_list(qtbot, w)
    assert ids[0] not in view.model.ids
    view.show_trash()
    wait_list(qtbot, w)
    assert view.model.ids == [ids[0]]
    assert view.restore_button.isVisible() and not view.delete_button.isVisible()
    view.select_id(ids[0])
    assert view.restore_selected() == 1
    wait_list(qtbot, w)
    assert view.model.ids == []
    assert "empty" in view.empty.text()
    view.show_trash(False)
    wait_list(qtbot, w)
    assert ids[0] in view.model.ids

    for draft_id in ids[3:5]:
        view.select_id(draft_id)
        view.delete_selected()
    view.show_trash()
    wait_list(qtbot, w)
    assert sorted(view.model.ids) == ids[3:5]
    w.auto_answers["empty-trash"] = "cancel"
    assert view.empty_trash() == 0
    w.auto_answers["empty-trash"] = "yes"
    assert view.empty_trash() == 2
    wait_list(qtbot, w)
    assert view.model.ids == []
    with DraftStore(path, auto_backup=False) as store:
        assert store.count() == 5 and store.count(trashed=True) == 0

    w.new_draft()
    assert w.text() == "" and w.session.draft_id is None
    assert view.model.open_id is None


def test_trashing_the_open_draft_says_so_and_restores(library_window, tmp_path, qtbot):
    ids = fill(tmp_path / "library.sqlite", 3)
    w = library_window()
    view = w.librarian.view
    w.open_draft(ids[1])
    view.select_id(ids[1])
    view.delete_selected()
    assert w.session.in_trash
    assert w.librarian.notice.key == "trash" and w.librarian.notice.isVisible()
    w.librarian.notice.buttons["Restore it"].click()
    assert not w.session.in_trash and not w.librarian.notice.isVisible()
    qtbot.keyClicks(w.editor, "More ")
    assert w.save()  # the list's changes moved the revision along: no conflict
    assert w.librarian.conflict is None


def test_status_and_tags_from_the_list(library_window, tmp_path, qtbot, wait_list):
    path = tmp_path / "library.sqlite"
    ids = fill(path, 4)
    w = library_window()
    view = w.librarian.view
    w.open_draft(ids[0])
    view.select_id(ids[0])
    assert view.set_status("archived") == 1
    assert w.librarian.details.status.currentData() == "archived"
    assert w.session.status == "archived" and not w.is_dirty()
    assert view.set_tags(["autumn", "q4"]) == 1
    assert w.librarian.details.tags.text() == "autumn, q4"
    table = view.table
    table.selectionModel().clearSelection()
    for draft_id in ids[1:3]:
        row = view.model.row_of(draft_id)
        table.selectionModel().select(view.model.index(row, 0),
                                      table.selectionModel().SelectionFlag.Select |
                                      table.selectionModel().SelectionFlag.Rows)
    assert view.set_status("approved") == 2
    assert view.set_tags(["team"], add=True) == 2
    wait_list(qtbot, w)
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(ids[0]).status == "archived"
        assert store.get(ids[0]).tags == ("autumn", "q4")
        assert [store.get(i).status for i in ids[1:3]] == ["approved", "approved"]
        assert all("team" in store.get(i).tags for i in ids[1:3])
        assert store.get(ids[3]).status != "approved"
    qtbot.keyClicks(w.editor, "Edited: ")
    assert w.save() and w.librarian.conflict is None


def test_details_and_choices_are_saved_with_the_text(library_window, tmp_path, qtbot, wait):
    path = tmp_path / "library.sqlite"
    w = library_window()
    w.set_platform("linkedin")
    qtbot.keyClicks(w.editor, "Wow!!! What would you change about our menu? Tell us.")
    wait(qtbot, w)
    details = w.librarian.details
    details.title.setText("Menu question")
    details.title.textEdited.emit("Menu question")
    details.client.setEditText("Kopi Senja")
    details.tags.setText("menu, #Autumn, menu")
    details.tags.textEdited.emit(details.tags.text())
    details.status.setCurrentIndex(details.status.findData("in_review"))
    details.status.activated.emit(details.status.currentIndex())
    details.planned.set_date(date(2031, 3, 4), emit=True)
    assert "Menu question" in w.windowTitle()
    assert w.isWindowModified()
    press(qtbot, w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not w.isWindowModified()
    with DraftStore(path, auto_backup=False) as store:
        [draft] = store.search()
        assert draft.title == "Menu question" and draft.client == "Kopi Senja"
        assert draft.tags == ("menu", "Autumn") and draft.status == "in_review"
        assert draft.planned == date(2031, 3, 4) and draft.platform == "linkedin"
        assert draft.language == "en" and not draft.language_pinned
        assert draft.scores["overall"] == w.result.report.scores.overall
        assert len(store.versions(draft.id)) == 1
    w.set_language("de")  # pinned by the person
    details.title.clear()
    details.title.textEdited.emit("")  # the title follows the first line again
    assert w.save()
    with DraftStore(path, auto_backup=False) as store:
        draft = store.get(draft.id)
        assert draft.language == "de" and draft.language_pinned
        assert draft.title.startswith("Wow!!! What would you change")
        assert len(store.versions(draft.id)) == 1  # the same text: no new version


def test_keyboard_first(library_window, tmp_path, qtbot, wait, wait_list):
    path = tmp_path / "library.sqlite"
    ids = fill(path, 8)
    w = library_window()
    view = w.librarian.view
    press(qtbot, w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "Workshop 3")
    wait_list(qtbot, w)
    assert view.model.rowCount() == 1
    press(qtbot, view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus() and view.current_id() == ids[3]
    press(qtbot, view.table, Qt.Key.Key_Return)
    assert w.session.draft_id == ids[3] and w.editor.hasFocus()
    w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(w.editor, " Sagt es uns!")
    press(qtbot, w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(ids[3]).text.endswith("Sagt es uns!")
        assert len(store.versions(ids[3])) == 2
    press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.text() == "" and w.session.draft_id is None
    qtbot.keyClicks(w.editor, "A new one. What do you think?")
    press(qtbot, w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert w.session.draft_id is not None
    # Escape clears the search (the new draft is listed); Delete in the list trashes.
    press(qtbot, w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, view.search, Qt.Key.Key_Escape)
    wait_list(qtbot, w)
    assert view.model.rowCount() == 9 and w.session.draft_id in view.model.ids
    view.select_id(ids[0])
    view.table.setFocus()
    press(qtbot, view.table, Qt.Key.Key_Delete)
    wait_list(qtbot, w)
    assert ids[0] not in view.model.ids
    press(qtbot, w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not w.librarian.dock.isVisible()
    press(qtbot, w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.librarian.dock.isVisible() and view.search.hasFocus()


def test_opening_another_draft_asks_about_unsaved_text(library_window, tmp_path, qtbot, wait_list):
    path = tmp_path / "library.sqlite"
    ids = fill(path, 3)
    w = library_window()
    w.open_draft(ids[0])
    qtbot.keyClicks(w.editor, "Unsaved ")
    w.auto_answers["unsaved"] = "cancel"
    assert not w.open_draft(ids[1])
    assert w.session.draft_id == ids[0] and w.text().startswith("Unsaved ")
    w.auto_answers["unsaved"] = "save"
    assert w.open_draft(ids[1])
    with DraftStore(path, auto_backup=False) as store:
        assert store.get(ids[0]).text.startswith("Unsaved ")
    qtbot.keyClicks(w.editor, "Let go ")
    w.auto_answers["unsaved"] = "discard"
    assert w.open_draft(ids[2])
    with DraftStore(path, auto_backup=False) as store:
        assert not store.get(ids[1]).text.startswith("Let go")
        wait_list(qtbot, w)
        assert store.recover(include_live=True) == []  # its autosave went with it


def test_versions_compare_and_restore(library_window, tmp_path, qtbot):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("We opened a new café in town.", scores={"overall": 50})
        store.update(draft_id, text="We opened a new bakery in town. Come by!",
                     scores={"overall": 70})
    w = library_window()
    w.open_draft(draft_id)
    dialog = w.librarian.versions_dialog()
    assert dialog.list.topLevelItemCount() == 2
    assert dialog.list.topLevelItem(0).text(0) == "2 (current)"
    assert dialog.list.topLevelItem(1).text(2).startswith("50")
    assert dialog.selected_numbers() == [1]  # the one before the current text
    html = dialog.view.toHtml()
    assert "line-through" in html and "underline" in html
    assert "café" in dialog.view.toPlainText() and "bakery" in dialog.view.toPlainText()
    assert "added" in dialog.summary.text() and "removed" in dialog.summary.text()
    pieces = dialog.compare(1, 2)
    assert ("delete", "café") in pieces and ("insert", "bakery") in pieces
    qtbot.keyClicks(w.editor, "Hi! ")  # unsaved text is saved first, as a version
    dialog.restore_button.click()
    assert w.text() == "We opened a new café in town."
    assert not w.is_dirty()
    with DraftStore(path, auto_backup=False) as store:
        texts = [v.text for v in store.versions(draft_id)]
        assert texts[-2].startswith("Hi! ") and texts[-1] == "We opened a new café in town."
    w.editor.undo()  # the restore is one undoable edit
    assert w.text().startswith("Hi! ")
    dialog.close()


def test_a_draft_without_a_library_save_offers_versions_later(library_window, qtbot):
    w = library_window()
    assert w.librarian.versions_dialog() is None
    assert "Save the draft" in w.statusBar().currentMessage()


def test_accessible_names_in_the_library(library_window, tmp_path):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QWidget

    fill(tmp_path / "library.sqlite", 2)
    w = library_window()
    w.librarian.view.filter_button.click()
    missing = [widget for widget in w.findChildren(QWidget)
               if widget.isVisible() and isinstance(widget, QAbstractButton | QComboBox |
                                                    QLineEdit)
               and not (widget.accessibleName() or getattr(widget, "text", lambda: "")())]
    assert not missing, [type(m).__name__ for m in missing]
    QApplication.processEvents()


def test_the_list_order_and_the_dock_are_remembered(library_window, tmp_path, wait_list,
                                                    qtbot):
    path = tmp_path / "library.sqlite"
    fill(path, 5)
    w = library_window(ini="same.ini")
    w.librarian.view.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    wait_list(qtbot, w)
    w.librarian.dock.hide()
    w.close()
    w2 = library_window(ini="same.ini")
    assert w2.librarian.view.model.sort_key == "title"
    assert not w2.librarian.dock.isVisible()
    with DraftStore(path, auto_backup=False) as store:
        assert w2.librarian.view.model.ids == store.search_ids(sort="title")


def test_scores_follow_the_analysis_without_a_new_revision(library_window, tmp_path, qtbot,
                                                           wait):
    path = tmp_path / "library.sqlite"
    with DraftStore(path, auto_backup=False) as store:
        draft_id = store.add("BIG NEWS!!! Buy now!!!")  # saved without scores
        revision = store.get(draft_id).revision
    w = library_window()
    w.open_draft(draft_id)
    wait(qtbot, w)
    expected = w.result.report.scores.overall

    def kept():
        with DraftStore(path, auto_backup=False) as store:
            draft = store.get(draft_id)
            assert draft.score == expected and draft.revision == revision
    qtbot.waitUntil(kept, timeout=3000)
    assert not w.is_dirty()


def test_enter_in_the_search_box_opens_the_first_match(library_window, tmp_path, qtbot):
    ids = fill(tmp_path / "library.sqlite", 12)
    w = library_window()
    view = w.librarian.view
    w.find_in_library()
    qtbot.keyClicks(view.search, "Workshop 7")
    press(qtbot, view.search, Qt.Key.Key_Return)  # before the search has even run
    qtbot.waitUntil(lambda: w.session.draft_id == ids[7], timeout=3000)
    assert w.text() == "Was würdet ihr am Workshop 7 ändern?" and w.editor.hasFocus()


def test_a_file_that_is_no_library_is_left_alone(library_window, tmp_path):
    import sqlite3

    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    w = library_window(path)
    assert not w.librarian.library.available
    assert w.librarian.notice.key == "no-library"
    assert "not a Post Coach library" in w.librarian.notice.message.text()
    assert "cannot be shown" in w.librarian.view.empty.text()
    assert path.read_bytes() == before
