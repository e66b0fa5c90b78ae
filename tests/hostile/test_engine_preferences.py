"""The app's preferences keep platform limits and folds within the range the engine
declares (resources/platforms.toml [overrides]): the spin boxes cannot go past it, a
hand-edited settings file cannot bring a bad value in, and a bad value is never saved."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path):
    from coach.ui.app import application
    from coach.ui.session import DraftSession
    from coach.ui.window import MainWindow

    def make(values: dict[str, object]):
        ini = QSettings(str(tmp_path / "coach.ini"), QSettings.Format.IniFormat)
        for key, value in values.items():
            ini.setValue(key, value)
        ini.sync()
        application()
        w = MainWindow(ini, DraftSession(), "")
        w.quiet = True
        qtbot.addWidget(w)
        made.append(w)
        return w

    made: list = []
    yield make
    for w in made:
        w.checker.shutdown()


@pytest.mark.parametrize("stored", ["-5", "abc", "5000001", str(10**40), "12.5", ""])
def test_a_bad_stored_limit_is_left_out(window, stored):
    w = window({"platforms/x/limit": stored, "platforms/mastodon/limit": "1000"})
    assert w.platform_overrides == {"mastodon": {"limit": 1000}}
    dialog = w.preferences_dialog()  # opens: no overflow from a huge stored number
    assert dialog._limits["x"].value() == 280


def test_the_spin_boxes_hold_the_declared_range(window):
    from coach.analysis.platforms import override_spec

    dialog = window({}).preferences_dialog()
    for fact, spins in (("limit", dialog._limits), ("fold", dialog._folds)):
        spec = override_spec(fact)
        for spin in spins.values():
            assert (spin.minimum(), spin.maximum()) == (spec.low, spec.high)
            spin.setValue(spec.high + 1)
            assert spin.value() == spec.high


def test_a_bad_value_is_never_saved(window, monkeypatch):
    w = window({"platforms/mastodon/limit": "1000"})
    dialog = w.preferences_dialog()
    monkeypatch.setattr(dialog, "overrides", lambda: {"x": {"limit": -5}})
    w.apply_preferences(dialog)
    assert w.platform_overrides == {"mastodon": {"limit": 1000}}
    assert w.settings.value("platforms/mastodon/limit") == "1000"
    assert w.settings.value("platforms/x/limit") is None
    assert w.last_problem == ("The preferences were not saved: the limit of X must be a whole "
                              "number from 0 to 1,000,000, not -5.")
