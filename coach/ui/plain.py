"""A person's words shown as they wrote them, never as markup.

Qt guesses: a QLabel, a QMessageBox or a tooltip whose text *might be* rich text
(``Qt::mightBeRichText``: a known tag such as ``<b>`` or ``<img>``, or ``&lt;``, on the first
line) is rendered as HTML. A draft titled ``<img src="/dev/zero"> Launch plan`` then makes Qt
read /dev/zero for an image until it aborts, and ``<b>`` turns bold. So every place in
coach.ui that shows text goes through these helpers (tests/hostile/test_ui_markup.py checks):
labels and message boxes are plain text, tooltips are escaped rich text (a tooltip has no
plain-text switch), an ``&`` in a button or menu item is an ``&``, not a keyboard mnemonic,
and ``[*]`` in a window title is not the unsaved-changes placeholder.
"""

from __future__ import annotations

import html
import textwrap

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

_PLAIN = Qt.TextFormat.PlainText
TOOLTIP_WIDTH = 80  # characters: a longer line of a tooltip is broken


def plain_label(parent: QWidget | None = None, text: str = "") -> QLabel:
    """A label that shows its text literally (an ``&`` with a buddy is still its mnemonic)."""
    label = QLabel(parent)
    label.setTextFormat(_PLAIN)
    label.setText(text)
    return label


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                parent: QWidget | None = None) -> QMessageBox:
    """A message box (not yet shown) that shows ``text`` literally."""
    box = QMessageBox(icon, window_title(title), "", parent=parent)
    box.setTextFormat(_PLAIN)
    box.setText(text)
    return box


def tooltip(text: str) -> str:
    """``text`` as a tooltip that Qt shows literally, its line breaks kept.

    Qt decides per tooltip whether it is rich text, so it is always given escaped rich
    text; "" stays "" (no tooltip). Qt lays a wrapping rich tooltip out narrow, so long
    lines are broken here instead, at :data:`TOOLTIP_WIDTH` characters.
    """
    if not text:
        return ""
    lines = []
    for line in text.splitlines():
        lines.extend(textwrap.wrap(line, TOOLTIP_WIDTH) if len(line) > TOOLTIP_WIDTH
                     else [line])
    shown = html.escape("\n".join(lines), quote=False)
    return f'<p style="white-space: pre;">{shown}</p>'


def button_text(text: str) -> str:
    """Text for a button or a menu item: each ``&`` shows as itself."""
    return text.replace("&", "&&")


def window_title(text: str) -> str:
    """Text for a window title: a ``[*]`` in it shows as itself (Qt reads a single
    ``[*]`` as the place of the unsaved-changes mark)."""
    return text.replace("[*]", "[*][*]")


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> tuple[str, bool]:
    """Ask for one line of text (as ``QInputDialog.getText``, with a plain label); the text
    and whether the person pressed OK."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(window_title(title))
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(_PLAIN)
    dialog.setTextValue(text)
    accepted = dialog.exec() == QInputDialog.DialogCode.Accepted
    value = dialog.textValue()
    dialog.deleteLater()
    return value, accepted
