"""The bounds every uploaded OpenAPI document is held to.

They live in one place so the upload form, the Celery task and the tests quote the same numbers.
"""

# The upload limit. Checked on the raw bytes, before decoding or parsing anything.
MAX_BYTES = 10 * 1024 * 1024

# Nesting depth of objects and arrays, the root object counting as 1. The deepest document of
# the real-world corpus (../shared/openapi-corpus: Akeneo and BigCommerce's catalog) nests 25
# levels; 64 leaves a margin of more than two and a half times while keeping every recursive
# consumer (the validator, jsonschema, our own summaries) far below Python's recursion limit.
MAX_DEPTH = 64

# Wall-clock seconds the validator may run for one document. The slowest corpus document
# (SendGrid, 1 MB, 16 errors) validates in about 6 s on the 2-core reference machine; 30 s is
# five times that, still under the request timeouts of a web worker.
VALIDATION_TIME_LIMIT = 30.0

# Problems listed per document: every real document has far fewer; a hostile one must not be
# able to make the result itself huge.
MAX_PROBLEMS = 1000

# Longest text of the document quoted back in a message (a $ref value, an offending key).
MAX_QUOTE_CHARS = 200

# How far the proposal follows definitions that refer to other definitions
# (Customer -> Address -> Country ...), and how many schema summaries one proposal may carry.
MAX_SCHEMA_DEPTH = 4
MAX_SCHEMAS_PER_PROPOSAL = 40
# Fields listed per schema summary.
MAX_FIELDS_PER_SCHEMA = 200
