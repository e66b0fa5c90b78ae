"""The main window on the offscreen platform: typing, marks, the panel, fixes, platforms,
languages, dismissal, staleness, files, settings and dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from coach.analysis import Severity
from coach.ui.offsets import OffsetMap

pytestmark = pytest.mark.gui

EMOJI = "😀 👍🏽 🇮🇩 👩‍👩‍👧 cafe\u0301 "


def cards(w, rule=None):
    return [c for c in w.panel.cards.values()
            if rule is None or c.item.finding.rule == rule]


def underlined(w):
    """(start, end, underline style) of every painted format, in document positions."""
    out = []
    block = w.editor.document().begin()
    while block.isValid():
        for r in block.layout().formats():
            style = r.format.underlineStyle()
            if style != QTextCharFormat.UnderlineStyle.NoUnderline:
                out.append((block.position() + r.start, block.position() + r.start + r.length,
                            style))
        block = block.next()
    return sorted(out)


def click(widget):
    """A real left click, as the mouse would send it."""
    pos = QPointF(widget.width() / 2, 6)
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        widget.event(QMouseEvent(kind, pos, widget.mapToGlobal(pos), Qt.MouseButton.LeftButton,
                                 Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def test_typing_shows_findings_in_panel_and_editor(make_window, qtbot, wait):
    w = make_window()
    w.editor.setFocus()
    qtbot.keyClicks(w.editor, "Wow!!! we did it")
    wait(qtbot, w)
    [card] = cards(w, "tone.exclamations")
    assert card.isVisible()
    assert "exclamation" in card.title.text().lower()
    assert card.advice.text().startswith("What to do:") and card.advice.isVisible()
    assert card.why.text().startswith("Why it matters:") and not card.why.isVisible()
    w.go_to_finding(card.key)  # the current card opens up to say why
    assert card.why.isVisible()
    assert (3, 6, QTextCharFormat.UnderlineStyle.WaveUnderline) in underlined(w) or \
        any(a == 3 and b == 6 for a, b, _ in underlined(w))
    assert w.scores.ring.value is not None
    assert "Tone" in w.scores.meters["tone"].accessibleName()


def test_text_wraps_inside_the_column(make_window, qtbot):
    w = make_window("A sentence that goes on and on with ordinary words in it. " * 8)
    for width in (700, 1400, 900):
        w.resize(width, 600)
        qtbot.wait(10)
        assert w.editor.horizontalScrollBar().maximum() == 0
    w.editor.zoom_in()
    w.editor.zoom_in()
    assert w.editor.horizontalScrollBar().maximum() == 0


def test_underline_style_differs_by_severity():
    from coach.ui.style import mark_format

    styles = {s: mark_format(s).underlineStyle() for s in Severity}
    # The error style is told apart by its background as well as its wave.
    assert mark_format(Severity.ERROR).background().style() != Qt.BrushStyle.NoBrush
    assert len({styles[Severity.WARNING], styles[Severity.SUGGESTION],
                styles[Severity.INFO]}) == 3


def test_click_selects_the_span(make_window, qtbot):
    w = make_window("Big news!!! Come and see.")
    [card] = cards(w, "tone.exclamations")
    click(card)
    assert w.editor.textCursor().selectedText() == "!!!"
    assert w.panel.selected_key == card.key


def test_quick_fix_is_one_undoable_edit(make_window, qtbot, wait):
    w = make_window("Big news!!! Come and see.")
    [card] = cards(w, "tone.exclamations")
    qtbot.mouseClick(card.fix_button, Qt.MouseButton.LeftButton)
    assert w.text() == "Big news! Come and see."
    wait(qtbot, w)
    assert not cards(w, "tone.exclamations")
    w.editor.undo()
    assert w.text() == "Big news!!! Come and see."
    wait(qtbot, w)
    assert cards(w, "tone.exclamations")


def test_highlights_and_fixes_land_after_emoji(make_window, qtbot, wait):
    text = EMOJI + "Wow!!! so good"
    w = make_window(text)
    m = OffsetMap(text)
    bang = text.index("!!!")
    start, end = m.to_utf16(bang), m.to_utf16(bang + 3)
    assert any(a == start and b == end for a, b, _ in underlined(w))
    [card] = cards(w, "tone.exclamations")
    click(card)
    assert w.editor.textCursor().selectedText() == "!!!"
    w.apply_fix(card.key)
    assert w.text() == EMOJI + "Wow! so good"


def test_marks_follow_typing_before_them(make_window, qtbot):
    w = make_window("Hi!!! there")
    before = [(a, b) for a, b, _ in underlined(w)]
    assert before == [(2, 5)]
    cursor = w.editor.textCursor()
    cursor.setPosition(0)
    w.editor.setTextCursor(cursor)
    qtbot.keyClicks(w.editor, "ab")  # no wait: the old marks must move with the text
    assert [(a, b) for a, b, _ in underlined(w)] == [(4, 7)]
    w.editor.textCursor().insertText("😀 ")  # an astral emoji is two UTF-16 units
    assert [(a, b) for a, b, _ in underlined(w)] == [(7, 10)]
    cursor = w.editor.textCursor()
    cursor.setPosition(8)  # type inside the mark: it grows, it does not vanish
    cursor.insertText("?")
    assert [(a, b) for a, b, _ in underlined(w)] == [(7, 11)]


def test_panel_updates_in_place(make_window, qtbot, wait):
    w = make_window("Hi!!! there. Great!!! Bye")
    first = dict(w.panel.cards)
    created = w.panel.created
    w.go_to_finding(next(iter(first)))
    selected = w.panel.selected_key
    cursor = w.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    w.editor.setTextCursor(cursor)
    qtbot.keyClicks(w.editor, " More words here")
    wait(qtbot, w)
    assert w.panel.created == created
    assert all(w.panel.cards[k] is c for k, c in first.items())
    assert w.panel.selected_key == selected


def test_platform_switch_changes_counter_fold_and_findings(make_window, qtbot, wait):
    text = ("We opened a new café in town and we would love to hear from you. " * 5).strip()
    w = make_window(text)
    assert w.counter.text() == f"{len(text):,} characters"
    assert not w.counter.property("over")
    w.set_platform("x")
    wait(qtbot, w)
    assert w.counter.text().startswith("▲") and w.counter.property("over")
    assert "over" in w.counter.accessibleName()
    assert "platform.too_long" in {c.item.finding.rule for c in cards(w)}
    w.set_platform("instagram")
    wait(qtbot, w)
    assert not w.counter.property("over")
    assert "platform.too_long" not in {c.item.finding.rule for c in cards(w)}
    assert w.editor.fold_position is not None  # Instagram folds at ~125 characters
    assert w.editor.fold_rect() is not None
    w.set_platform(None)
    wait(qtbot, w)
    assert w.editor.fold_position is None


def test_text_after_the_fold_is_dimmed(make_window, qtbot, wait):
    text = "Short opening line that hooks the reader. " * 6
    w = make_window(text, platform="instagram")
    fold = w.editor.fold_position
    assert fold is not None and 0 < fold < len(text)
    block = w.editor.document().begin()
    dimmed = [(r.start, r.start + r.length) for r in block.layout().formats()
              if r.format.hasProperty(r.format.Property.ForegroundBrush)]
    assert dimmed and dimmed[0][0] == fold and dimmed[-1][1] == len(text)
    w.set_platform("threads")  # shows the whole post: nothing dimmed
    wait(qtbot, w)
    assert w.editor.fold_position is None
    assert not [r for r in block.layout().formats()
                if r.format.hasProperty(r.format.Property.ForegroundBrush)]


def test_language_pin(make_window, qtbot, wait):
    w = make_window("Hari ini kami membuka toko baru di Jakarta!!!")
    assert w.result.report.language_source == "detected"
    assert w.language_box.itemText(0).startswith("Auto (")
    w.set_language("de")
    wait(qtbot, w)
    assert w.result.report.language == "de"
    assert w.result.report.language_source == "given"
    assert "pinned" in w.language_label.text()
    w.set_language(None)
    wait(qtbot, w)
    assert w.result.report.language_source == "detected"


def test_dismiss_hides_until_restored(make_window, qtbot, wait):
    w = make_window("Hi!!! there")
    [card] = cards(w, "tone.exclamations")
    qtbot.mouseClick(card.dismiss_button, Qt.MouseButton.LeftButton)
    assert not cards(w, "tone.exclamations")
    assert underlined(w) == []
    qtbot.keyClicks(w.editor, " and more")
    wait(qtbot, w)
    assert not cards(w, "tone.exclamations")
    w.restore_dismissed()
    wait(qtbot, w)
    assert cards(w, "tone.exclamations")


def test_disable_for_draft(make_window, qtbot, wait):
    w = make_window("Hi!!! there")
    w.disable_for_draft("tone.exclamations")
    wait(qtbot, w)
    assert not cards(w, "tone.exclamations")
    assert "tone.exclamations" in w.session.disabled


def test_nothing_stale_after_fast_edits_off_thread(make_window, qtbot, wait):
    w = make_window(debounce=1, sync_limit=0)  # every analysis in the worker thread
    w.editor.setFocus()
    for chunk in ("Hello!!! ", "this is ", "fast ", "typing!!! ", "end."):
        qtbot.keyClicks(w.editor, chunk)
        qtbot.wait(2)
    wait(qtbot, w)
    assert w.result.text == w.text()
    spans = sorted((f.start, f.end) for f in w.result.report.findings
                   if f.rule == "tone.exclamations")
    assert spans == [(5, 8), (28, 31)]
    assert [(a, b) for a, b, _ in underlined(w)] == spans


def test_stale_result_is_dropped(make_window, qtbot):
    from coach.ui.live import Snapshot, run_snapshot

    w = make_window("Hi!!! there")
    old = run_snapshot(Snapshot(w.revision - 1, "Other!!! text"))
    dropped = w.checker.dropped
    w.checker._deliver(old)
    assert w.checker.dropped == dropped + 1
    assert w.result.text == "Hi!!! there"


def test_next_and_previous_finding_keys(make_window, qtbot):
    w = make_window("One!!! two!!! three")
    w.editor.setFocus()
    qtbot.keyClick(w.editor, Qt.Key.Key_F8)
    assert w.editor.textCursor().selectionStart() == 3
    qtbot.keyClick(w.editor, Qt.Key.Key_F8)
    assert w.editor.textCursor().selectionStart() == 10
    qtbot.keyClick(w.editor, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert w.editor.textCursor().selectionStart() == 3


def test_apply_fix_shortcut(make_window, qtbot):
    w = make_window("Wow!!! ok")
    w.editor.setFocus()
    qtbot.keyClick(w.editor, Qt.Key.Key_F8)
    qtbot.keyClick(w.editor, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert w.text() == "Wow! ok"


def test_zoom_and_settings_persist(make_window, qtbot, settings):
    w = make_window()
    size = w.editor.point_size
    w.editor.setFocus()
    qtbot.keyClick(w.editor, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    w.editor.zoom_in()
    assert w.editor.point_size > size
    w.set_platform("linkedin")
    w.close()
    again = make_window()
    assert again.editor.point_size == w.editor.point_size
    assert again.platform_box.currentData() == "linkedin"
    qtbot.keyClick(again.editor, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.editor.point_size == size


def test_default_settings_live_in_the_config_folder(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", "from coach.ui.app import make_settings;"
                          "print(make_settings().fileName())"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out.startswith(str(tmp_path / "cfg"))


def test_reply_kind_shows_comment_field(make_window, qtbot, wait):
    w = make_window("Thanks for telling us. We will look into it.")
    assert not w.reply_pane.isVisible()
    w.set_kind("reply")
    assert w.reply_pane.isVisible()
    w.comment.setPlainText("Your app deleted my photos!")
    wait(qtbot, w)
    assert w.session.kind == "reply" and w.result.report.kind == "reply"
    assert w.session.comment == "Your app deleted my photos!"


def test_open_files(make_window, tmp_path, qtbot):
    w = make_window()
    good = tmp_path / "draft.txt"
    good.write_text("Hello from a file!!!\r\n", encoding="utf-8")
    assert w.open_file(good)
    assert w.text() == "Hello from a file!!!\n"
    assert "draft" in w.windowTitle()
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Gr\xfc\xdfe".encode("latin-1"))
    assert not w.open_file(latin)
    assert "not UTF-8" in w.last_problem
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    assert not w.open_file(binary)
    assert "binary" in w.last_problem
    assert w.text() == "Hello from a file!!!\n"


def test_save_as_text(make_window, tmp_path):
    w = make_window("Saved!!! 😀")
    assert w.save_to(tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Saved!!! 😀"
    w.editor.setPlainText("odd \ud800 text")
    assert w.save_to(tmp_path / "odd.txt")
    assert (tmp_path / "odd.txt").read_text(encoding="utf-8").startswith("odd ")
    assert not w.editor.document().isModified()


def test_odd_drafts_never_crash(make_window, qtbot, wait):
    w = make_window(debounce=1)
    for text in ("\x00\x01\x02 junk \x7f\x1b[31m!!!", "مرحبا بكم!!! كيف حالكم؟ שלום",
                 "\ud800 lone surrogate!!!", "a" * 3000):
        w.editor.setPlainText(text)
        wait(qtbot, w)
        assert w.result.problem == ""


@pytest.mark.slow
def test_a_megabyte_paste_pauses_coaching_with_a_message(make_window, qtbot, wait):
    w = make_window(debounce=1, platform="x")
    w.editor.setPlainText(("Word and more words!!! " * 50 + "\n") * 900)
    wait(qtbot, w, timeout=30000)
    assert "pauses" in w.banner.text() and w.banner.isVisible()
    assert not w.panel.cards
    assert "≈" in w.counter.text()
    qtbot.keyClicks(w.editor, "x")  # still responsive
    w.editor.setPlainText("x" * 300_000)  # one unbroken run: Qt must wrap it cheaply
    assert w.editor.wordWrapMode() == w.editor.wordWrapMode().WrapAnywhere
    wait(qtbot, w, timeout=30000)
    w.editor.setPlainText("Short again!!!")
    assert w.editor.wordWrapMode() == w.editor.wordWrapMode().WrapAtWordBoundaryOrAnywhere
    wait(qtbot, w)
    assert not w.banner.isVisible() and cards(w, "tone.exclamations")


def test_every_dialog_opens(make_window, qtbot):
    w = make_window()
    dialogs = [w.preferences_dialog(), w.shortcuts_dialog()]
    from coach.ui.dialogs import about_box

    dialogs.append(about_box(w))
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.accessibleName()
        dialog.close()
    prefs = w.preferences_dialog()
    prefs.set_checked("tone.exclamations", False)
    prefs.font_size.setValue(17)
    w.apply_preferences(prefs)
    assert "tone.exclamations" in w.disabled_globally
    assert w.editor.point_size == 17
    prefs = w.preferences_dialog()
    prefs._limits["mastodon"].setValue(1000)  # this server allows 1,000 characters
    prefs._folds["linkedin"].setValue(0)  # and LinkedIn shows everything, say
    w.apply_preferences(prefs)
    assert w.platform_overrides == {"mastodon": {"limit": 1000}, "linkedin": {"fold": 0}}
    w.editor.setPlainText("word " * 120)
    w.set_platform("mastodon")
    qtbot.waitUntil(lambda: w.counter.text() == "600 / 1,000")
    assert "platform.too_long" not in {c.item.finding.rule for c in cards(w)}
    again = w.preferences_dialog()
    assert again._limits["mastodon"].value() == 1000
    shortcuts = w.shortcuts_dialog()
    keys = {shortcuts.table.item(r, 1).text() for r in range(shortcuts.table.rowCount())}
    assert {"F8", "Shift+F8", "Ctrl+."} <= keys


def test_modal_dialogs_run_and_close(make_window, qtbot):
    w = make_window()

    def close_active():
        active = w.findChildren(QDialog)
        for d in active:
            if d.isVisible():
                d.reject() if not isinstance(d, QMessageBox) else d.close()

    for opener in (w.show_shortcuts, w.show_about, w.open_preferences):
        QTimer.singleShot(50, close_active)
        opener()


def test_every_control_has_an_accessible_name(make_window):
    w = make_window("Hi!!! there")
    w.set_kind("reply")
    missing = []
    for widget in w.findChildren(QWidget):
        if not widget.isVisible() or widget.inherits("QScrollBar"):
            continue
        control = isinstance(widget, QAbstractButton | QComboBox | QPlainTextEdit)
        focusable = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if (control or focusable) and not (widget.accessibleName() or text):
            missing.append(widget)
    assert not missing, [type(m).__name__ + " " + m.objectName() for m in missing]


def test_tab_order_goes_from_toolbar_to_editor(make_window):
    w = make_window()
    assert w.platform_box.nextInFocusChain() is not None
    order = []
    widget = w.platform_box
    for _ in range(40):
        order.append(widget)
        widget = widget.nextInFocusChain()
    assert order.index(w.language_box) < order.index(w.editor)


def test_none_survives_many_qt_calls(qapp):
    """PySide6 6.12 on Python 3.11 drops a reference to None per void call; the app's
    guard must keep None alive through far more calls than a session makes."""
    import sys

    from PySide6.QtWidgets import QLabel

    from coach.ui.app import application

    application()
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        label.setText("x")
    assert sys.getrefcount(None) > 1000
    assert before > 20_000 or sys.getrefcount(None) >= before - 20_000


def test_only_changed_blocks_are_repainted(make_window, qtbot, wait):
    text = "\n".join(f"Paragraph {i} is here!!! with words." for i in range(30))
    w = make_window(text)
    assert sum(m.key[0] == "tone.exclamations" for m in w.highlighter.marks) == 30
    before = w.highlighter.painted_blocks
    cursor = w.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    w.editor.setTextCursor(cursor)
    qtbot.keyClicks(w.editor, " More")  # Qt re-highlights the edited block per key
    wait(qtbot, w)
    assert w.highlighter.painted_blocks - before <= len(" More") + 2
    cursor.setPosition(0)
    w.editor.setTextCursor(cursor)
    qtbot.keyClicks(w.editor, "Big ")  # every mark after the edit moves; none re-painted
    wait(qtbot, w)
    assert w.highlighter.painted_blocks - before <= 2 * len(" More") + 4
    first = min((m for m in w.highlighter.marks if m.key[0] == "tone.exclamations"),
                key=lambda m: m.start)
    assert (first.start, first.end) == (len("Big Paragraph 0 is here"),
                                        len("Big Paragraph 0 is here!!!"))


def test_create_window_opens_a_file_and_keeps_the_library_path(qtbot, tmp_path, settings, wait):
    from coach.ui.app import create_window

    draft = tmp_path / "launch.txt"
    draft.write_text("Launch day!!! 🚀", encoding="utf-8")
    w, problem = create_window(str(draft), str(tmp_path / "lib.sqlite"), settings=settings)
    qtbot.addWidget(w)
    w.quiet = True
    w.show()
    assert problem == ""
    assert w.text() == "Launch day!!! 🚀" and w.session.path == draft
    assert w.library_path == str(tmp_path / "lib.sqlite")
    wait(qtbot, w)
    assert cards(w, "tone.exclamations")
    w.checker.shutdown()

    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02binary")
    w2, problem = create_window(str(junk), settings=settings)
    qtbot.addWidget(w2)
    assert "binary" in problem and w2.text() == ""
    w2.checker.shutdown()


def test_preview_cuts_between_words_and_styles_tags():
    from coach.ui.preview import preview_html

    text = "Big day at #CoffeeLab with @ana: https://example.com/menu and what a crowd"
    html = preview_html(text, text.index("crowd") + 2, "#00f", "#888")
    assert "what a<span" in html and "crowd" not in html and "see more" in html
    for tag in ("#CoffeeLab", "@ana", "https://example.com/menu"):
        assert f'font-weight:600">{tag}</span>' in html
    assert "see more" not in preview_html("Short <b>post</b>", None, "#00f", "#888")
    assert "&lt;b&gt;" in preview_html("Short <b>post</b>", None, "#00f", "#888")


def test_preview_tab_follows_the_draft(make_window, qtbot, wait):
    w = make_window("Hello #friends, what should we bake next?", platform="x")
    w.tabs.setCurrentIndex(1)
    assert "#friends" in w.preview.body.text()
    qtbot.keyClicks(w.editor, " Tell us!")
    wait(qtbot, w)
    assert "Tell us!" in w.preview.body.text()
    assert w.preview.where.text() == "X"


def test_panel_scroll_stays_put_while_typing(make_window, qtbot, wait):
    text = " ".join(f"Line {i} is great!!!" for i in range(10)) + " SO EXCITING"
    w = make_window(text)
    w.resize(900, 500)
    qtbot.wait(50)
    bar = w.panel.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    top = w.panel._anchor()
    assert top is not None
    cursor = w.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    w.editor.setTextCursor(cursor)
    qtbot.keyClicks(w.editor, " and more words")
    wait(qtbot, w)
    qtbot.wait(20)
    assert w.panel._anchor() == top
    cursor.setPosition(0)  # a new finding above everything else
    w.editor.setTextCursor(cursor)
    qtbot.keyClicks(w.editor, "WOW AMAZING NEWS!!! ")
    wait(qtbot, w)
    qtbot.wait(20)
    assert w.panel._anchor() == top  # the card at the top of the view did not move


def test_coach_without_a_display_says_so(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "coach"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "no screen" in done.stderr and len(done.stderr.splitlines()) == 1


def test_an_engine_error_is_shown_not_fatal(make_window, qtbot, wait, monkeypatch, caplog):
    import coach.ui.live as live

    w = make_window("Fine text!!!")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(live, "analyze", broken)
    qtbot.keyClicks(w.editor, " more")
    wait(qtbot, w)
    assert w.banner.isVisible() and "boom" in w.banner.text()
    assert not w.panel.cards and w.scores.ring.value is None
    assert "boom" in caplog.text
    monkeypatch.undo()
    qtbot.keyClicks(w.editor, "!")
    wait(qtbot, w)
    assert not w.banner.isVisible() and cards(w, "tone.exclamations")


def test_a_card_with_a_wrapped_title_shows_its_whole_message(make_window, qtbot, wait):
    w = make_window("Wir haben endlich unseren neuen Laden eröffnet. Unsere Produkte sind "
                    "die besten und wir freuen uns sehr über unseren Erfolg.")
    w.resize(1100, 800)
    w.show()
    wait(qtbot, w)
    [card] = cards(w, "audience.self_focus")
    qtbot.waitUntil(lambda: card.isVisible() and card.width() > 0)
    for width in (260, 320):  # narrow enough for the title to wrap
        card.setFixedWidth(width)
        card.layout().activate()
        for label in (card.title, card.message, card.advice):
            if label.isVisible():
                needed = label.heightForWidth(label.width())
                assert label.height() >= needed, (label.text(), label.height(), needed)
