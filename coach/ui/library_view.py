"""The library view: find a draft among thousands, open it, and keep the list tidy.

A search box with instant results (debounced, searched on a background lane), filters
(client, platform, status, language, tag, planned dates), a sortable lazy list, and the
actions a person expects: open, new, duplicate, move to the trash, restore, empty the
trash, change status and tags. Keyboard first: Enter opens, Delete trashes, Down from the
search box goes to the list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coach.analysis import LANGUAGES
from coach.library import STATUS_LABELS, STATUSES, Draft, LibraryError

from . import facts
from .details import DateButton
from .library import Library
from .library_model import COLUMNS, KEYS, STATUS_COLOURS, DraftListModel, IdRole, dot
from .plain import ask_text, plain_label, tooltip
from .style import muted

_log = logging.getLogger("coach.ui")
SEARCH_DEBOUNCE_MS = 150
# Columns shown first when the list is narrow; the rest appear as it gets wider (everything
# is in each row's tooltip anyway).
PRIORITY = ("title", "status", "client", "score", "planned", "platform", "updated")
TITLE_MIN = 170
Confirm = Callable[[str, str, str], bool]  # (key, title, question) -> go on?


@dataclass(frozen=True)
class Request:
    """One search of the list: the words, the filters, the order, and which drafts."""

    query: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = "-updated"
    trashed: bool = False


class DraftTable(QTableView):
    """The list itself: Enter opens the current draft, Delete moves it to the trash."""

    openRequested = Signal()
    deleteRequested = Signal()
    resized = Signal()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.resized.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.openRequested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Delete):
            self.deleteRequested.emit()
            return
        super().keyPressEvent(event)


class SearchBox(QLineEdit):
    """The search field: Enter opens the first match, Down moves to the list, Escape
    clears the search."""

    toList = Signal()
    openFirst = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down:
            self.toList.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.openFirst.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.textEdited.emit("")
            return
        super().keyPressEvent(event)


def _combo(name: str, any_text: str, parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    box.setToolTip(tooltip(f"Show only drafts with this {name.lower()}"))
    box.addItem(any_text, None)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    return box


class LibraryView(QWidget):
    """Search, filter, sort and act on the drafts of a library."""

    openRequested = Signal(int)
    newRequested = Signal()
    written = Signal(object, int)  # a Draft changed from the list, and its revision before
    purged = Signal(object)  # ids deleted for good
    problem = Signal(str, str)  # a title and a message for the person
    refreshed = Signal()  # the list shows the results of the newest request
    facetsChanged = Signal(list, list)  # clients, tags

    def __init__(self, library: Library, parent: QWidget | None = None, *,
                 confirm: Confirm | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryView")
        self.setAccessibleName("Library")
        self.library = library
        self.confirm = confirm or (lambda _key, _title, _question: True)
        self._generation = 0
        self._shown_generation = 0
        self._request = Request()
        self._keep: tuple[int | None, list[int]] = (None, [])
        self._open_when_shown = False
        self.open_id: int | None = None
        self.last_error = ""
        self.model = DraftListModel(self._fetch, self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._build()
        self.model.sortRequested.connect(lambda _sort: self.refresh())
        self._sync_actions()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = SearchBox(self)
        self.search.setObjectName("librarySearch")
        self.search.setAccessibleName("Search the library")
        self.search.setPlaceholderText("Search drafts")
        self.search.setToolTip(tooltip("Words match as you type (conv finds conversation), "
                                       "accents and case do not matter; \"quotes\" for a "
                                       "phrase, -word to leave out"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.toList.connect(self.focus_list)
        self.search.openFirst.connect(self.open_first)
        self.filter_button = QToolButton(self)
        self.filter_button.setText("Filters")
        self.filter_button.setCheckable(True)
        self.filter_button.setAccessibleName("Show filters")
        self.filter_button.setToolTip(tooltip("Filter by client, platform, status, language, "
                                              "tag and planned date"))
        self.filter_button.toggled.connect(self._show_filters)

        self.filters = QWidget(self)
        self.filters.setAccessibleName("Filters")
        grid = QGridLayout(self.filters)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.client_filter = _combo("Client", "Any client", self)
        self.platform_filter = _combo("Platform", "Any platform", self)
        for platform in facts.platforms():
            self.platform_filter.addItem(facts.platform_name(platform), platform)
        self.status_filter = _combo("Status", "Any status", self)
        for key in STATUSES:
            self.status_filter.addItem(dot(STATUS_COLOURS[key]),
                                       STATUS_LABELS[key].capitalize(), key)
        self.language_filter = _combo("Language", "Any language", self)
        for code in LANGUAGES:
            self.language_filter.addItem(facts.language_name(code), code)
        self.tag_filter = _combo("Tag", "Any tag", self)
        self.planned_from = DateButton("Planned from", "Planned from", self, prefix="From ")
        self.planned_to = DateButton("until", "Planned until", self, prefix="Until ")
        self.clear_filters_button = QPushButton("Clear", self)
        self.clear_filters_button.setAccessibleName("Clear the filters")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        grid.addWidget(self.client_filter, 0, 0)
        grid.addWidget(self.platform_filter, 0, 1)
        grid.addWidget(self.status_filter, 1, 0)
        grid.addWidget(self.language_filter, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        dates = QHBoxLayout()
        dates.setSpacing(4)
        dates.addWidget(self.tag_filter, 1)
        dates.addWidget(self.planned_from)
        dates.addWidget(self.planned_to)
        dates.addWidget(self.clear_filters_button)
        grid.addLayout(dates, 2, 0, 1, 2)
        for box in self.filter_boxes():
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        for button in (self.planned_from, self.planned_to):
            button.dateChanged.connect(lambda _d: self.refresh())
        self.filters.hide()

        self.scope = QTabBar(self)
        self.scope.setAccessibleName("Drafts or trash")
        self.scope.setDrawBase(False)
        self.scope.setExpanding(False)
        self.scope.addTab("Drafts")
        self.scope.addTab("Trash")
        self.scope.currentChanged.connect(lambda _i: self._scope_changed())
        self.count_label = plain_label(self)
        self.count_label.setAccessibleName("Number of drafts listed")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.table = DraftTable(self)
        self.table.setObjectName("draftList")
        self.table.setAccessibleName("Drafts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.openRequested.connect(self.open_current)
        self.table.deleteRequested.connect(self.delete_selected)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # 100,000 rows stay cheap
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fm = self.fontMetrics()
        self.widths = {"client": fm.horizontalAdvance("Client name") + 16,
                       "platform": fm.horizontalAdvance("Instagram") + 16,
                       "status": fm.horizontalAdvance("in review") + 34,
                       "planned": fm.horizontalAdvance("30 Sep 25") + 16,
                       "score": fm.horizontalAdvance("Score") + 30,
                       "updated": fm.horizontalAdvance("30 Sep 25") + 16}
        for column, (key, _) in enumerate(COLUMNS):
            if key in self.widths:
                self.table.setColumnWidth(column, self.widths[key])
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.resized.connect(self.fit_columns)
        header.setSortIndicator(KEYS.index("updated"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._sync_actions())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._sync_actions())
        self.model.modelReset.connect(self._sync_actions)

        self.empty = plain_label(self)
        self.empty.setObjectName("libraryEmpty")
        self.empty.setAccessibleName("About the list")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.new_button = self._button("New", "Start a new draft (Ctrl+N)",
                                       self.newRequested.emit)
        self.duplicate_button = self._button("Duplicate", "A copy of the selected draft",
                                             self.duplicate_current)
        self.delete_button = self._button("Delete", "Move the selected drafts to the trash "
                                          "(Delete)", self.delete_selected)
        self.status_button = QToolButton(self)
        self.status_button.setText("Status ▾")
        self.status_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.status_button.setAccessibleName("Change the status of the selected drafts")
        self.status_button.setToolTip(tooltip(self.status_button.accessibleName()))
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for key in STATUSES:
            action = self.status_menu.addAction(dot(STATUS_COLOURS[key]),
                                                STATUS_LABELS[key].capitalize())
            action.triggered.connect(lambda _=False, k=key: self.set_status(k))
            self.status_actions[key] = action
        self.status_button.setMenu(self.status_menu)
        self.tags_button = self._button("Tags…", "Change the tags of the selected drafts",
                                        self.edit_tags)
        self.restore_button = self._button("Restore", "Take the selected drafts out of the "
                                           "trash", self.restore_selected)
        self.purge_button = self._button("Delete forever", "Delete the selected drafts for "
                                         "good", self.purge_selected)
        self.empty_trash_button = self._button("Empty trash", "Delete every draft in the "
                                               "trash for good", self.empty_trash)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.search, 1)
        top.addWidget(self.filter_button)
        middle = QHBoxLayout()
        middle.setSpacing(6)
        middle.addWidget(self.scope)
        middle.addStretch(1)
        middle.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.setSpacing(4)
        for widget in (self.new_button, self.duplicate_button, self.delete_button,
                       self.status_button, self.tags_button, self.restore_button,
                       self.purge_button, self.empty_trash_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 6)
        box.setSpacing(6)
        box.addLayout(top)
        box.addWidget(self.filters)
        box.addLayout(middle)
        box.addWidget(self.stack, 1)
        box.addLayout(actions)
        self.setTabOrder(self.search, self.filter_button)
        self.setTabOrder(self.filter_button, self.table)
        self._recolour()

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(tip.split(" (")[0])
        button.setToolTip(tooltip(tip))
        button.clicked.connect(lambda _=False: slot())
        return button

    def set_sort(self, sort: str) -> None:
        """Order the list by a DraftStore sort key (``-updated``, ``title``...)."""
        key = sort.lstrip("-")
        if key not in KEYS:
            return
        self.model.sort_key = sort  # the header below then asks for nothing new
        order = Qt.SortOrder.DescendingOrder if sort.startswith("-") \
            else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(KEYS.index(key), order)

    def fit_columns(self) -> None:
        """Show the columns that fit beside a readable title, most useful first."""
        available = self.table.viewport().width()
        used = TITLE_MIN
        shown = {"title"}
        for key in PRIORITY[1:]:
            width = self.widths[key]
            if used + width <= available:
                shown.add(key)
                used += width
        for column, key in enumerate(KEYS):
            hidden = key not in shown
            if self.table.isColumnHidden(column) != hidden:
                self.table.setColumnHidden(column, hidden)

    def visible_columns(self) -> list[str]:
        return [key for column, key in enumerate(KEYS) if not self.table.isColumnHidden(column)]

    def filter_boxes(self) -> tuple[QComboBox, ...]:
        return (self.client_filter, self.platform_filter, self.status_filter,
                self.language_filter, self.tag_filter)

    def _recolour(self) -> None:
        self.model.muted = muted(self.palette())
        self.empty.setStyleSheet(f"color: {muted(self.palette()).name()};")

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "model"):
            self._recolour()

    # -- the request ------------------------------------------------------------------------
    @property
    def in_trash(self) -> bool:
        return self.scope.currentIndex() == 1

    def request(self) -> Request:
        """The search the controls ask for now."""
        filters: dict[str, Any] = {}
        for name, box in zip(("client", "platform", "status", "language", "tag"),
                             self.filter_boxes(), strict=True):
            value = box.currentData()
            if value is not None:
                filters[name] = value
        if self.planned_from.date() is not None:
            filters["planned_from"] = self.planned_from.date()
        if self.planned_to.date() is not None:
            filters["planned_to"] = self.planned_to.date()
        return Request(self.search.text().strip(), filters, self.model.sort_key,
                       self.in_trash)

    def active_filters(self) -> int:
        return len(self.request().filters)

    def set_filter(self, name: str, value: Any) -> None:
        """Set one filter (client, platform, status, language, tag, planned_from/_to)."""
        if name in ("planned_from", "planned_to"):
            button = self.planned_from if name == "planned_from" else self.planned_to
            button.set_date(value, emit=True)
            return
        box = dict(zip(("client", "platform", "status", "language", "tag"),
                       self.filter_boxes(), strict=True))[name]
        index = box.findData(value)
        if index < 0 and value is not None:
            box.addItem(str(value), value)
            index = box.count() - 1
        box.setCurrentIndex(max(0, index))

    def clear_filters(self) -> None:
        for box in self.filter_boxes():
            with QSignalBlocker(box):
                box.setCurrentIndex(0)
        for button in (self.planned_from, self.planned_to):
            button.set_date(None)
        self.refresh()

    def _show_filters(self, shown: bool) -> None:
        self.filters.setVisible(shown)
        if shown:
            self.refresh_facets()

    def _scope_changed(self) -> None:
        self._sync_actions()
        self.refresh(keep=False)

    def show_trash(self, shown: bool = True) -> None:
        self.scope.setCurrentIndex(1 if shown else 0)

    def search_for(self, text: str) -> None:
        """Type ``text`` into the search box (the list follows after the debounce)."""
        self.search.setText(text)

    # -- running searches ---------------------------------------------------------------------
    def is_idle(self) -> bool:
        """True when the list shows the newest request's results."""
        return not self._timer.isActive() and self._shown_generation == self._generation

    def refresh(self, *, keep: bool = True) -> None:
        """Search again with the current controls; the selection stays on the same drafts."""
        self._timer.stop()
        if keep and self._shown_generation == self._generation:
            self._keep = (self.current_id(), self.selected_ids())
        elif not keep:
            self._keep = (None, [])
        self._generation += 1
        self._update_filter_button()
        if not self.library.available:
            self._shown_generation = self._generation
            self.model.set_ids([])
            self._show_state(0, self.library.error, self.library.note)
            self.refreshed.emit()
            return
        request = self._request = self.request()
        generation = self._generation
        lane = self.library.search_lane

        def work(_job):
            return lane.store().search_ids(request.query, sort=request.sort,
                                           trashed=request.trashed, **request.filters)

        lane.submit(work, done=lambda ids: self._searched(generation, ids),
                    failed=lambda exc: self._search_failed(generation, exc))

    def _searched(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        current, selected = self._keep
        self._shown_generation = generation
        if ids == self.model.ids:
            self.model.forget()  # the same drafts: keep the scroll position, re-read rows
        else:
            self.model.set_ids(ids)
            self._reselect(current, selected)
        self._show_state(len(ids), None)
        self.refreshed.emit()
        if self._open_when_shown:
            self._open_when_shown = False
            self.open_first()

    def _search_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._shown_generation = generation
        self.model.set_ids([])
        self._show_state(0, exc)
        self.refreshed.emit()

    def _reselect(self, current: int | None, selected: list[int]) -> None:
        selection = self.table.selectionModel()
        rows = [r for r in (self.model.row_of(i) for i in selected) if r is not None]
        for row in rows:
            selection.select(self.model.index(row, 0),
                             QItemSelectionModel.SelectionFlag.Select |
                             QItemSelectionModel.SelectionFlag.Rows)
        row = self.model.row_of(current) if current is not None else None
        if row is not None:
            selection.setCurrentIndex(self.model.index(row, 0),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(self.model.index(row, 0))

    def _show_state(self, count: int, error: Exception | None, note: str = "") -> None:
        if note:
            self.count_label.setText("")
            self.empty.setText(note)
            self.stack.setCurrentWidget(self.empty)
            return
        if error is not None:
            self.last_error = str(error)
            self.count_label.setText("")
            self.empty.setText(f"The library cannot be shown: {error}")
            self.stack.setCurrentWidget(self.empty)
            return
        self.last_error = ""
        request = self._request
        if self.in_trash:
            self.count_label.setText(f"{count:,} in the trash" if count else "")
        else:
            self.count_label.setText(f"{count:,} draft{'s' if count != 1 else ''}")
        if count:
            self.stack.setCurrentWidget(self.table)
            return
        if request.query or request.filters:
            self.empty.setText("No drafts match. Try fewer words or clear the filters.")
        elif self.in_trash:
            self.empty.setText("The trash is empty.")
        else:
            self.empty.setText("No drafts yet.\nWrite one and press Ctrl+S to keep it here.")
        self.stack.setCurrentWidget(self.empty)

    def _update_filter_button(self) -> None:
        n = self.active_filters()
        self.filter_button.setText(f"Filters ({n})" if n else "Filters")

    def refresh_facets(self) -> None:
        """Read the clients and tags for the filter menus (in the background)."""
        if not self.library.available:
            return
        lane = self.library.search_lane

        def work(_job):
            store = lane.store()
            return [c for c, _ in store.clients()], [t for t, _ in store.tags()]

        lane.submit(work, done=self._facets, failed=lambda exc: _log.warning(
            "library facets: %s", exc))

    def _facets(self, result: tuple[list[str], list[str]]) -> None:
        clients, tags = result
        for box, values in ((self.client_filter, clients), (self.tag_filter, tags)):
            chosen = box.currentData()
            with QSignalBlocker(box):
                while box.count() > 1:
                    box.removeItem(1)
                for value in values:
                    box.addItem(value, value)
                index = box.findData(chosen)
                if index < 0 and chosen is not None:
                    box.addItem(str(chosen), chosen)
                    index = box.count() - 1
                box.setCurrentIndex(max(0, index))
        self.facetsChanged.emit(clients, tags)

    def _fetch(self, ids) -> list[Draft]:
        store = self.library.store
        if store is None or store.closed:
            return []
        return store.get_many(ids)

    # -- the selection ------------------------------------------------------------------------
    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        ids = [self.model.id_at(r) for r in rows]
        return [i for i in ids if i is not None]

    def _targets(self) -> list[int]:
        """The drafts an action applies to: the selected ones, else the current one."""
        ids = self.selected_ids()
        if not ids and self.current_id() is not None:
            ids = [self.current_id()]
        return ids

    def select_id(self, draft_id: int) -> bool:
        """Make ``draft_id`` the current, only selected row (when it is listed)."""
        row = self.model.row_of(draft_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect |
            QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.select_id(self.model.ids[0])

    def set_open_id(self, draft_id: int | None) -> None:
        """Mark the draft that is open in the editor (shown in bold)."""
        self.open_id = draft_id
        self.model.open_id = draft_id
        self.table.viewport().update()

    def _sync_actions(self) -> None:
        trash = self.in_trash
        has = bool(self._targets()) if hasattr(self, "table") else False
        writable = self.library.writable
        for widget in (self.new_button, self.duplicate_button, self.delete_button,
                       self.status_button, self.tags_button):
            widget.setVisible(not trash)
        for widget in (self.restore_button, self.purge_button, self.empty_trash_button):
            widget.setVisible(trash)
        self.new_button.setEnabled(True)
        for widget in (self.duplicate_button, self.delete_button, self.status_button,
                       self.tags_button, self.restore_button, self.purge_button):
            widget.setEnabled(has and writable)
        self.empty_trash_button.setEnabled(writable and self.model.rowCount() > 0)

    # -- acting on drafts -----------------------------------------------------------------------
    def open_row(self, row: int) -> None:
        draft_id = self.model.id_at(row)
        if draft_id is not None:
            self.openRequested.emit(draft_id)

    def open_first(self) -> None:
        """Open the first match of the search (once the list shows the newest results)."""
        if not self.is_idle():
            self._open_when_shown = True
            if self._timer.isActive():
                self.refresh()
            return
        if self.model.rowCount():
            self.select_id(self.model.ids[0])
            self.openRequested.emit(self.model.ids[0])

    def open_current(self) -> None:
        draft_id = self.current_id()
        if draft_id is None and self.model.rowCount():
            draft_id = self.model.ids[0]
        if draft_id is not None:
            self.openRequested.emit(draft_id)

    def _write(self, what: str, ids: list[int], change: Callable[[int], Draft | None]) -> int:
        """Apply ``change`` to each draft; tell the window, refresh, report a failure."""
        store = self.library.store
        if store is None or not ids:
            return 0
        done = 0
        for draft_id in ids:
            try:
                before = store.get(draft_id).revision
                draft = change(draft_id)
            except LibraryError as exc:
                self.problem.emit(f"Cannot {what}", _sentence(exc))
                break
            done += 1
            if draft is not None:
                self.written.emit(draft, before)
        if done:
            self.model.forget(ids)
            self.library.changed.emit()
            self.refresh()
        return done

    def duplicate_current(self) -> int | None:
        """Copy the current draft of the list (else the open one; status back to draft);
        the copy is selected."""
        draft_id = self.current_id() or (self._targets() or [self.open_id])[0]
        store = self.library.store
        if draft_id is None or store is None:
            return None
        try:
            copy = store.duplicate(draft_id)
        except LibraryError as exc:
            self.problem.emit("Cannot duplicate", _sentence(exc))
            return None
        self._keep = (copy, [copy])
        self.library.changed.emit()
        self.refresh(keep=False)
        self._keep = (copy, [copy])
        return copy

    def delete_selected(self) -> int:
        if self.in_trash:
            return self.purge_selected()
        ids = self._targets()
        store = self.library.store
        return self._write("move to the trash", ids, lambda i: store.trash(i)) if store else 0

    def restore_selected(self) -> int:
        store = self.library.store
        return self._write("restore", self._targets(), lambda i: store.restore(i)) \
            if store else 0

    def purge_selected(self) -> int:
        ids = self._targets()
        store = self.library.store
        if not ids or store is None:
            return 0
        n = len(ids)
        if not self.confirm("purge", "Delete for good",
                            f"Delete {n} draft{'s' if n != 1 else ''} and all their versions "
                            "for good? This cannot be undone."):
            return 0
        done = self._write("delete", ids, lambda i: store.purge(i))
        if done:
            self.purged.emit(ids[:done])
        return done

    def empty_trash(self) -> int:
        store = self.library.store
        if store is None:
            return 0
        try:
            trashed = store.search_ids(trashed=True)
        except LibraryError as exc:
            self.problem.emit("Cannot empty the trash", _sentence(exc))
            return 0
        if not trashed or not self.confirm(
                "empty-trash", "Empty the trash",
                f"Delete the {len(trashed):,} draft{'s' if len(trashed) != 1 else ''} in the "
                "trash and all their versions for good? This cannot be undone."):
            return 0
        try:
            n = store.empty_trash()
        except LibraryError as exc:
            self.problem.emit("Cannot empty the trash", _sentence(exc))
            return 0
        self.purged.emit(trashed)
        self.library.changed.emit()
        self.refresh(keep=False)
        return n

    def set_status(self, status: str) -> int:
        store = self.library.store
        return self._write("change the status", self._targets(),
                           lambda i: store.update(i, status=status)) if store else 0

    def set_tags(self, tags: list[str], ids: list[int] | None = None, *,
                 add: bool = False) -> int:
        """Give drafts these tags (``add``: on top of the tags they have)."""
        store = self.library.store
        if store is None:
            return 0

        def change(draft_id: int) -> Draft:
            if add:
                current = store.get(draft_id).tags
                return store.update(draft_id, tags=[*current, *tags])
            return store.update(draft_id, tags=tags)

        return self._write("change the tags", ids or self._targets(), change)

    def edit_tags(self) -> None:
        ids = self._targets()
        store = self.library.store
        if not ids or store is None:
            return
        if len(ids) == 1:
            current = ", ".join(store.get(ids[0]).tags)
            text, ok = ask_text(self, "Tags", "Tags, separated by commas:", current)
            if ok:
                self.set_tags([t for t in text.split(",") if t.strip()], ids)
            return
        text, ok = ask_text(self, "Add tags",
                            f"Tags to add to {len(ids)} drafts, separated by commas:")
        if ok and text.strip():
            self.set_tags([t for t in text.split(",") if t.strip()], ids, add=True)

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        if not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.select_id(self.model.data(index, IdRole))
        menu = QMenu(self)
        menu.addAction("Open", self.open_current)
        if self.in_trash:
            menu.addAction("Restore", self.restore_selected)
            menu.addAction("Delete forever…", self.purge_selected)
        else:
            menu.addAction("Duplicate", self.duplicate_current)
            status = menu.addMenu("Status")
            for key in STATUSES:
                status.addAction(dot(STATUS_COLOURS[key]), STATUS_LABELS[key].capitalize(),
                                 lambda k=key: self.set_status(k))
            menu.addAction("Tags…", self.edit_tags)
            menu.addSeparator()
            menu.addAction("Move to trash", self.delete_selected)
        for action in menu.actions():
            action.setEnabled(action.text() == "Open" or self.library.writable)
        menu.popup(self.table.viewport().mapToGlobal(pos))


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
