"""The app's dialogs: preferences (checks on/off, writing font, appearance), keyboard
shortcuts, and about."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach import __version__

from .facts import AREA_TITLES, fact_range, fold_chars, limit, platform_name, platforms, rules
from .plain import message_box, plain_label, tooltip
from .style import MAX_POINT_SIZE, MIN_POINT_SIZE

APPEARANCES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))


class PreferencesDialog(QDialog):
    """Switch checks on or off for every draft; change platform limits and folds (they
    change, and a Mastodon server sets its own); choose the font size and appearance."""

    def __init__(self, disabled: Iterable[str], point_size: float, appearance: str,
                 parent: QWidget | None = None,
                 overrides: Mapping[str, Mapping[str, int]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.resize(720, 600)
        disabled = set(disabled)
        intro = plain_label(self, "Checks that are switched off here are off for every "
                            "draft. A single draft can switch a check off from its "
                            "suggestion card.")
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Checks")
        self.tree.setHeaderLabels(["Check", "Why it matters"])
        self.tree.setColumnWidth(0, 270)
        self.tree.setRootIsDecorated(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        groups: dict[str, QTreeWidgetItem] = {}
        # House-style rules come with a house pack, and are switched with it.
        shown = [(rule_id, spec) for rule_id, spec in rules().items()
                 if not rule_id.startswith("house.")]
        order = {area: i for i, area in enumerate(AREA_TITLES)}
        for rule_id, spec in sorted(shown, key=lambda kv: (order.get(kv[1].area, 99),
                                                            kv[1].title)):
            area = spec.area
            if area not in groups:
                group = QTreeWidgetItem([AREA_TITLES.get(area, area.title())])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.tree.addTopLevelItem(group)
                groups[area] = group
            item = QTreeWidgetItem([spec.title, spec.why])
            item.setToolTip(1, tooltip(spec.why))
            item.setData(0, Qt.ItemDataRole.UserRole, rule_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked if rule_id in disabled
                               else Qt.CheckState.Checked)
            groups[area].addChild(item)
            self._items[rule_id] = item
        self.tree.expandAll()
        self.font_size = QSpinBox(self)
        self.font_size.setRange(MIN_POINT_SIZE, MAX_POINT_SIZE)
        self.font_size.setValue(round(point_size))
        self.font_size.setSuffix(" pt")
        self.font_size.setAccessibleName("Editor font size")
        self.appearance = QComboBox(self)
        self.appearance.setAccessibleName("Appearance")
        for key, text in APPEARANCES:
            self.appearance.addItem(text, key)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(appearance)))
        checks = QWidget(self)
        page = QVBoxLayout(checks)
        page.addWidget(intro)
        page.addWidget(self.tree, 1)

        self._limits: dict[str, QSpinBox] = {}
        self._folds: dict[str, QSpinBox] = {}
        self._defaults: dict[str, tuple[int, int]] = {}
        facts_page = QWidget(self)
        grid = QGridLayout(facts_page)
        note = plain_label(facts_page, "Platforms change their rules, and each Mastodon "
                           "server sets its own limit. Change them here; 0 means no fold.")
        note.setWordWrap(True)
        grid.addWidget(note, 0, 0, 1, 3)
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.Bold)
        for column, heading in enumerate(("Platform", "Limit", "“See more” fold")):
            label = plain_label(facts_page, heading)
            label.setFont(bold)
            grid.addWidget(label, 1, column)
        overrides = overrides or {}
        for row, platform in enumerate(platforms(), start=2):
            name = platform_name(platform)
            base = (limit(platform) or 0, fold_chars(platform) or 0)
            self._defaults[platform] = base
            mine = overrides.get(platform, {})
            spins = []
            for column, (value, store, what) in enumerate(
                    ((mine.get("limit", base[0]), self._limits, "limit"),
                     (mine.get("fold", base[1]), self._folds, "fold")), start=1):
                spin = QSpinBox(facts_page)
                spin.setRange(*fact_range(what))  # the engine's range: no bad value to save
                spin.setGroupSeparatorShown(True)
                spin.setValue(int(value))
                spin.setAccessibleName(f"{name} {what}")
                store[platform] = spin
                spins.append(spin)
                grid.addWidget(spin, row, column)
            self._folds[platform].setSpecialValueText("none")
            grid.addWidget(plain_label(facts_page, name), row, 0)
        grid.setRowStretch(len(self._defaults) + 2, 1)

        editor = QWidget(self)
        form = QFormLayout(editor)
        form.addRow("Editor font size", self.font_size)
        form.addRow("Appearance", self.appearance)
        self.pages = QTabWidget(self)
        self.pages.setAccessibleName("Preference pages")
        self.pages.tabBar().setAccessibleName("Preference pages")
        self.pages.addTab(checks, "Checks")
        self.pages.addTab(facts_page, "Platforms")
        self.pages.addTab(editor, "Editor")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        box = QVBoxLayout(self)
        box.addWidget(self.pages, 1)
        box.addWidget(buttons)

    def disabled(self) -> frozenset[str]:
        """The checks left unticked."""
        return frozenset(rule for rule, item in self._items.items()
                         if item.checkState(0) != Qt.CheckState.Checked)

    def overrides(self) -> dict[str, dict[str, int]]:
        """The platform facts that differ from the shipped ones."""
        out: dict[str, dict[str, int]] = {}
        for platform, (base_limit, base_fold) in self._defaults.items():
            changed = {}
            if self._limits[platform].value() != base_limit:
                changed["limit"] = self._limits[platform].value()
            if self._folds[platform].value() != base_fold:
                changed["fold"] = self._folds[platform].value()
            if changed:
                out[platform] = changed
        return out

    def set_checked(self, rule: str, on: bool) -> None:
        self._items[rule].setCheckState(0, Qt.CheckState.Checked if on
                                        else Qt.CheckState.Unchecked)


class ShortcutsDialog(QDialog):
    """A table of every menu command that has a keyboard shortcut."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = [(a.text().replace("&", "").rstrip("."),
                 a.shortcut().toString(a.shortcut().SequenceFormat.NativeText))
                for a in actions if not a.shortcut().isEmpty()]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName("Shortcuts")
        self.table.setHorizontalHeaderLabels(["Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        for r, (text, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(text))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        box = QVBoxLayout(self)
        box.addWidget(self.table)
        box.addWidget(buttons)
        self.resize(440, 560)


def about_box(parent: QWidget | None = None) -> QMessageBox:
    """The About box (not yet shown)."""
    box = message_box(QMessageBox.Icon.NoIcon, "About Post Coach", "", parent)
    box.setAccessibleName("About Post Coach")
    box.setTextFormat(Qt.TextFormat.RichText)  # markup: the app's own words only
    box.setText(f"<b>Post Coach {__version__}</b>")
    box.setInformativeText(
        "Write social media posts that start conversations.<br>"
        "Checks for questions, tone, readability and platform fit in English, "
        "Indonesian, Spanish and German. Everything runs on this computer; "
        "nothing is sent anywhere.")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box
