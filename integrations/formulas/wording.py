"""Python's syntax errors, said in the formula language.

A formula is parsed by Python's parser (integrations.formulas.syntax), whose messages speak of
literals, parentheses and octal prefixes. The person writing a formula knows brackets, quoted
text, numbers and commas, so each message Python gives is said again in those words, and one
that is not known here becomes a plain "cannot be read here" rather than leaking Python's.
"""

import re

CLOSING = {"(": ")", "[": "]", "{": "}"}


def _never_closed_text(opening: str) -> str:
    return f"a bracket is never closed: this {opening} needs a {CLOSING.get(opening, ')')} after it"


def _never_closed(match: re.Match) -> str:
    return _never_closed_text(match.group(1))


def _unmatched(match: re.Match) -> str:
    return f"a closing bracket {match.group(1)} has no opening bracket before it"


def _mismatched(match: re.Match) -> str:
    closing, opening = match.group(1), match.group(2)
    return f"brackets do not pair up: {opening} is closed by {closing}; close it with {CLOSING.get(opening, ')')}"


def _invalid_character(match: re.Match) -> str:
    return f"the character {match.group(1)} has no meaning in a formula outside quotes"


MISMATCH = re.compile(r"^closing parenthesis '(.)' does not match opening parenthesis '(.)'")

# (Python's message, as a pattern; what the formula language says instead), first match wins.
WORDING: list[tuple[re.Pattern, object]] = [
    (re.compile(r"^'(.)' was never closed$"), _never_closed),
    (re.compile(r"^unmatched '(.)'$"), _unmatched),
    (MISMATCH, _mismatched),
    (
        re.compile(r"^unterminated (triple-quoted )?string literal"),
        "a quoted text is never closed: add its closing quote",
    ),
    (re.compile(r"^EOL while scanning string literal"), "a quoted text is never closed: add its closing quote"),
    (
        re.compile(r"Perhaps you forgot a comma\?$"),
        "two values stand side by side: is an operator or a comma missing between them?",
    ),
    (re.compile(r"instead of '='\?$"), "= does not compare: write == to compare two values"),
    (
        re.compile(r"^leading zeros in decimal integer literals"),
        "a number cannot start with 0: write 7, not 07 (or quote it as text)",
    ),
    (
        re.compile(r"^invalid (decimal|hexadecimal|octal|binary) literal$"),
        "a number runs into letters: put an operator or a space between them, or quote it as text",
    ),
    (re.compile(r"^invalid character '(.+?)'"), _invalid_character),
    (
        re.compile(r"^unexpected character after line continuation character$"),
        "a backslash \\ belongs inside quoted text only",
    ),
    (re.compile(r"^positional argument follows keyword argument"), "a function's values go in order, without names"),
    (
        re.compile(r"^expected 'else' after 'if' expression$"),
        "use if(condition, then, otherwise) to choose between two values",
    ),
    (
        re.compile(r"^too many nested parentheses$"),
        "the formula is too deeply nested: it has too many brackets inside brackets",
    ),
    (re.compile(r"null bytes"), "the formula contains a null character: remove it"),
    (
        re.compile(r"^(invalid syntax|unexpected EOF while parsing)$"),
        "the formula cannot be read here: look for a missing value, operator or bracket",
    ),
]
FALLBACK = "the formula cannot be read here: look for a missing value, operator or bracket"


def formula_wording(python_message: str, *, at_closing_wrapper: bool = False) -> str:
    """What a Python SyntaxError message means, said in the formula language.

    The formula is parsed inside a bracket pair of the parser's own (so it may span lines); a
    mismatch found at that closing bracket is a bracket of the formula's that is never closed."""
    mismatch = MISMATCH.search(python_message)
    if at_closing_wrapper and mismatch:
        return _never_closed_text(mismatch.group(2))
    for pattern, said in WORDING:
        match = pattern.search(python_message)
        if match:
            return said(match) if callable(said) else said
    return FALLBACK
