"""The list of drafts as a lazy table model: 100,000 drafts scroll like 100.

The model holds only the ids of the matches (from ``DraftStore.search_ids``, in order) and
fetches rows a page at a time when the view asks for them, keeping a few pages in memory.
Sorting asks for a new id list; the view decides how (see coach.ui.library_view).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from coach.analysis.scoring import label
from coach.library import STATUS_LABELS, Draft

from . import facts
from .plain import tooltip
from .style import SCORE_COLOURS

PAGE = 100
KEEP_PAGES = 40  # rows in memory: 4,000, whatever the size of the list
SNIPPET = 240

# column key, header, sort key (a DraftStore sort), whether a bigger value comes first
COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", "Title"), ("client", "Client"), ("platform", "Platform"),
    ("status", "Status"), ("planned", "Planned"), ("score", "Score"), ("updated", "Updated"),
)
KEYS = tuple(key for key, _ in COLUMNS)
# Status colours: a mid-tone each, readable on light and dark; the word is always shown too.
STATUS_COLOURS = {"draft": "#8a8fa0", "in_review": "#d9910f", "approved": "#3d7fe0",
                  "published": "#2f9e6b", "archived": "#6f737a"}
IdRole = Qt.ItemDataRole.UserRole + 1
_DISPLAY, _DECORATION, _TOOLTIP = (int(Qt.ItemDataRole.DisplayRole),
                                   int(Qt.ItemDataRole.DecorationRole),
                                   int(Qt.ItemDataRole.ToolTipRole))
_FOREGROUND, _FONT, _ID = (int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.FontRole),
                           int(IdRole))
_ROLES = frozenset((_DISPLAY, _DECORATION, _TOOLTIP, _FOREGROUND, _FONT, _ID,
                    int(Qt.ItemDataRole.AccessibleTextRole)))
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True, slots=True)
class Row:
    """What the list shows of one draft (its text only as a short snippet)."""

    id: int
    title: str
    client: str | None
    platform: str | None
    status: str
    planned: date | None
    score: int | None
    updated: datetime
    tags: tuple[str, ...]
    language: str | None
    snippet: str
    revision: int
    in_trash: bool

    cells: tuple[str, ...] = ()  # the text of each column, formatted once
    icons: tuple[QIcon | None, ...] = ()
    dim: tuple[bool, ...] = ()  # columns in the muted colour: empty values, the saved time

    @classmethod
    def of(cls, d: Draft) -> Row:
        score = d.score
        score = None if score is None else round(score)
        cells = (d.title or "Untitled draft", d.client or "—",
                 facts.platform_name(d.platform) if d.platform else "—",
                 STATUS_LABELS.get(d.status, d.status), short_date(d.planned) or "—",
                 "—" if score is None else str(score), when(d.updated))
        icons = (None, None, None, dot(STATUS_COLOURS.get(d.status, "#8a8fa0")), None,
                 None if score is None else dot(SCORE_COLOURS[label(score)], 8), None)
        dim = (False, d.client is None, d.platform is None, False, d.planned is None,
               score is None, True)
        return cls(d.id, d.title, d.client, d.platform, d.status, d.planned, score, d.updated,
                   d.tags, d.language, " ".join(d.text[:SNIPPET * 2].split())[:SNIPPET],
                   d.revision, d.in_trash, cells, icons, dim)


@cache
def dot(colour: str, size: int = 10) -> QIcon:
    """A small filled circle (status and score colours in the list)."""
    icon = QIcon()
    for scale in (1, 2):
        pm = QPixmap(size * scale, size * scale)
        pm.fill(Qt.GlobalColor.transparent)
        pm.setDevicePixelRatio(scale)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(colour))
        p.drawEllipse(1, 1, size - 2, size - 2)
        p.end()
        icon.addPixmap(pm)
    return icon


def short_date(value: date | None, today: date | None = None) -> str:
    """A date for a narrow column: 14 Dec this year, 14 Dec 24 another year."""
    if value is None:
        return ""
    if value.year == (today or date.today()).year:
        return f"{value.day} {value:%b}"
    return f"{value.day} {value:%b %y}"


def when(moment: datetime, today: date | None = None) -> str:
    """A saved time as people read it in a list: 14:05 today, 3 Mar this year, else with year."""
    local = moment.astimezone()
    today = today or date.today()
    if local.date() == today:
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %y}"


class DraftListModel(QAbstractTableModel):
    """Rows of drafts by id, fetched in pages of :data:`PAGE` on demand."""

    sortRequested = Signal(str)  # a DraftStore sort key such as "-updated"

    def __init__(self, fetch: Callable[[Sequence[int]], list[Draft]], parent=None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._rows_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, Row]] = OrderedDict()
        self._last: tuple[int, dict[int, Row]] | None = None
        self.sort_key = "-updated"
        self.fetched_pages = 0  # pages read from the library (tests, the benchmark)
        self.muted = QColor("#8a8fa0")
        self.open_id: int | None = None  # the draft open in the editor: shown in bold
        self._bold = QFont()
        self._bold.setWeight(QFont.Weight.DemiBold)

    # -- contents -------------------------------------------------------------------------
    @property
    def ids(self) -> list[int]:
        return self._ids

    def set_ids(self, ids: list[int]) -> None:
        """Show these drafts, in this order (the rows are read when first shown)."""
        self.beginResetModel()
        self._ids = ids
        self._rows_of = None
        self._pages.clear()
        self._last = None
        self.endResetModel()

    def forget(self, draft_ids: Sequence[int] | None = None) -> None:
        """Read these drafts (or all) again when next shown: they changed in the library."""
        self._last = None
        if draft_ids is None:
            self._pages.clear()
        else:
            wanted = set(draft_ids)
            for page in list(self._pages):
                if wanted & self._pages[page].keys():
                    del self._pages[page]
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, draft_id: int) -> int | None:
        if self._rows_of is None:
            self._rows_of = {d: i for i, d in enumerate(self._ids)}
        return self._rows_of.get(draft_id)

    def row(self, row: int) -> Row | None:
        """The draft shown in ``row``, reading its page from the library when needed."""
        draft_id = self.id_at(row)
        if draft_id is None:
            return None
        page = row // PAGE
        last = self._last
        if last is not None and last[0] == page:  # a paint asks for the same page many times
            return last[1].get(draft_id)
        rows = self._pages.get(page)
        if rows is None:
            chunk = self._ids[page * PAGE:(page + 1) * PAGE]
            try:
                rows = {d.id: Row.of(d) for d in self._fetch(chunk)}
            except Exception:  # a vanished library: show empty rows, never crash painting
                rows = {}
            self.fetched_pages += 1
            self._pages[page] = rows
            while len(self._pages) > KEEP_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        self._last = (page, rows)
        return rows.get(draft_id)

    # -- the Qt model -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS)
                and role == Qt.ItemDataRole.DisplayRole):
            return COLUMNS[section][1]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every cell and role on each paint: keep the common path short.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        number = index.row()
        if role == _FONT:
            return self._bold if self.open_id is not None and \
                self.id_at(number) == self.open_id else None
        if role == _ID:
            return self.id_at(number)
        row = self.row(number)
        column = index.column()
        if row is None:
            return "…" if role == _DISPLAY and column == 0 else None
        if role == _DISPLAY:
            return row.cells[column]
        if role == _DECORATION:
            return row.icons[column]
        if role == _FOREGROUND:
            return self.muted if row.dim[column] else None
        if role == _TOOLTIP:
            return self._tooltip(row)
        return f"{COLUMNS[column][1]}: {row.cells[column]}"  # accessible text

    @staticmethod
    def _tooltip(row: Row) -> str:
        """Everything about the draft (the columns a narrow list hides, too)."""
        lines = [row.title or "Untitled draft"]
        if row.snippet and row.snippet != row.title:
            lines.append(row.snippet + ("…" if len(row.snippet) >= SNIPPET else ""))
        facts_ = [f"#{row.id}", STATUS_LABELS.get(row.status, row.status)]
        if row.client:
            facts_.append(row.client)
        if row.language:
            facts_.append(facts.language_name(row.language))
        if row.score is not None:
            facts_.append(f"score {row.score} ({label(row.score)})")
        lines.append(" · ".join(facts_))
        if row.tags:
            lines.append("Tags: " + ", ".join(row.tags))
        if row.planned:
            lines.append(f"Planned for {row.planned:%a %d %b %Y}")
        lines.append(f"Saved {row.updated.astimezone():%Y-%m-%d %H:%M}")
        return tooltip("\n".join(lines))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the list in another order (the library sorts; see ``sortRequested``)."""
        if not 0 <= column < len(COLUMNS):
            return
        key = KEYS[column]
        descending = order == Qt.SortOrder.DescendingOrder
        sort = f"-{key}" if descending else key
        if sort != self.sort_key:
            self.sort_key = sort
            self.sortRequested.emit(sort)
