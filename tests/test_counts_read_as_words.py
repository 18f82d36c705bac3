"""Counts read as words: the portal's pages and messages say "1 version" and "2 versions", never
"version(s)". Python's messages use Django's pluralize, templates its filter."""

import re
from pathlib import Path

from django.conf import settings

CODE = ("certification", "integrations", "marketplace", "portal", "scoring", "templates")
# A whole word, so that code such as ``from_dict(s)`` is not taken for a noun.
A_NOUN_WITH_S_IN_BRACKETS = re.compile(r"\b[a-z]+\(s\)")


def test_no_page_or_message_says_a_noun_with_s_in_brackets():
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in CODE
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".html", ".txt")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if A_NOUN_WITH_S_IN_BRACKETS.search(line)
    ]
    assert found == []
