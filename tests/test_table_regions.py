"""Every table of the portal's pages scrolls inside its own box on a phone (not the page), and that
box is a region a keyboard can reach and a screen reader can name."""

import re
from pathlib import Path

from django.conf import settings

TABLE = re.compile(r"<table(?P<attrs>[^>]*)>")
WRAPPER = re.compile(r'<div class="(?:table-wrap|table-scroll)"(?P<attrs>[^>]*)>\s*$')
# Tables that are not shown as tables: read by screen readers only, or a chart's data.
NOT_SHOWN = ("visually-hidden", "rating-distribution")


def page_templates() -> list[Path]:
    """The project's templates but the admin's (Django's own table styles and layout)."""
    root = Path(settings.BASE_DIR)
    found = [*root.glob("*/templates/**/*.html"), *(root / "templates").glob("**/*.html")]
    return [path for path in found if "admin" not in path.parts and ".venv" not in path.parts]


def unwrapped_tables() -> list[str]:
    found = []
    for path in page_templates():
        text = path.read_text()
        for table in TABLE.finditer(text):
            if any(word in table.group("attrs") for word in NOT_SHOWN):
                continue
            before = text[: table.start()].rstrip(" \n")
            wrapper = WRAPPER.search(before + "\n") or WRAPPER.search(before)
            attrs = wrapper.group("attrs") if wrapper else ""
            named = "aria-label=" in attrs or "aria-labelledby=" in attrs
            if not (wrapper and 'role="region"' in attrs and 'tabindex="0"' in attrs and named):
                found.append(f"{path.relative_to(settings.BASE_DIR)} at offset {table.start()}")
    return found


def test_every_table_scrolls_in_a_named_focusable_region():
    assert unwrapped_tables() == []
