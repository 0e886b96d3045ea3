"""Every action icon resolves, and every bundled SVG renders."""

import pytest
from PySide6.QtCore import QSize

from app.ui import icons


@pytest.mark.parametrize("name", ["add", "delete", "like", "quit"])
def test_action_icons_have_a_bundled_fallback(qapp, name):
    assert (icons.ICONS / f"{name}.svg").is_file()
    assert not icons.themed(name).isNull()


@pytest.mark.parametrize("name", ["add", "delete", "like", "quit", "quotes"])
def test_bundled_svgs_render_sharp_at_any_size(qapp, name):
    for size in (16, 64):
        image = icons.bundled(name).pixmap(QSize(size, size), 2.0).toImage()
        assert image.width() == size * 2
        assert any(image.pixelColor(x, size).alpha() for x in range(image.width()))


def test_a_missing_icon_is_an_error(qapp):
    with pytest.raises(FileNotFoundError):
        icons.bundled("nope")
