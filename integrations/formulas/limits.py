"""The bounds every dynamic formula, sample record and translation table is held to.

They live in one place so the editor, the preview, the test runner and the tests quote the
same numbers. Each is far above what a real template mapping needs and far below what could
cost a worker noticeable CPU or memory.
"""

# Characters of one formula. The limit: a real formula is a line or two.
MAX_FORMULA_CHARS = 2_000

# Depth of the formula's syntax tree. `"A" + B + C + ...` nests one level per term, so 100
# allows a concatenation of about 100 fields while keeping the evaluator's recursion (three
# Python frames per level) far below Python's recursion limit of 1,000.
MAX_FORMULA_DEPTH = 100

# Largest exponent and largest base of `**`. 1,000,000 ** 100 has 601 digits and takes
# microseconds; simpleeval's default (4,000,000) lets `9**3999999 * 9**3999999` take seconds.
MAX_POWER = 100
MAX_POWER_BASE = 1_000_000

# Largest integer any operation may produce, in bits (about 300 decimal digits): no field of
# the common data model holds a number anywhere near it, and multiplying two of them is cheap.
MAX_INT_BITS = 1_024

# Characters of any text a formula builds (simpleeval's own default, kept).
MAX_STRING_LENGTH = 100_000

# Characters of one value written to the output record, as JSON text; and of the whole output
# record. A mapped field is a scalar or a small object: child collections (a transaction's
# lines) are mapped by their own collection with the parent record as `Parent`.
MAX_VALUE_CHARS = 64 * 1024
MAX_OUTPUT_CHARS = 1024 * 1024

# Regular expressions: pattern length, and length of the text they may run over. Patterns are
# also refused when they nest quantifiers or use backreferences (see regexes.py); the child
# process's time limit is the backstop for the rest.
MAX_PATTERN_CHARS = 200
MAX_REGEX_SUBJECT_CHARS = 10_000

# Characters of a date format given to parse_date / format_date.
MAX_DATE_FORMAT_CHARS = 100

# Sample records pasted in the editor or stored with a mapping test (the limits).
MAX_SAMPLE_BYTES = 1024 * 1024
MAX_SAMPLE_DEPTH = 32

# Rows of one translation table.
MAX_TABLE_ROWS = 10_000

# The child process previews and test runs use: wall-clock seconds per record, and memory it
# may add to what it inherited from the worker.
TIME_LIMIT = 2.0
MEMORY_BYTES = 256 * 1024**2
