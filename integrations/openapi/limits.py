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

# Wall-clock seconds the validator (and, beside it, the proposals) may run for one document.
# The slowest corpus documents (Adobe's admin schema, Stripe, BigCommerce's catalog: 1-1.6 MB)
# validate in 4-5 s on the 2-core reference machine, up to 8 s while it is busy with other
# work; 30 s leaves that margin several times over and stays under a web worker's timeout.
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
# Fields listed per schema summary, and over all the proposals of one document (the richest
# corpus document, Stripe's, lists about 5,500).
MAX_FIELDS_PER_SCHEMA = 200
MAX_FIELDS_PER_DOCUMENT = 100_000
