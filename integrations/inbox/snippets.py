"""The copy-paste snippets the inbox page shows: each sends one validly signed test event.

Both are tested by running them against a live server (tests/integrations/test_inbox.py), so
what the page shows is known to verify.
"""

import json
from dataclasses import dataclass

SECRET_PLACEHOLDER = "whsec_PASTE_YOUR_SECRET_HERE"  # noqa: S105 - shown when the secret is not


def sample_body(scope: str) -> str:
    return json.dumps({"type": scope, "data": {"id": "test-1"}}, separators=(",", ":"))


def curl_snippet(url: str, scope: str, secret: str | None = None) -> str:
    """A bash one-liner: HMAC-SHA256 over "id.timestamp.body" with openssl, keyed by the secret's
    base64-decoded bytes (given to openssl as hex), then curl."""
    return (
        f"secret='{secret or SECRET_PLACEHOLDER}'; "
        "key=$(printf '%s' \"${secret#whsec_}\" | base64 -d | od -An -v -tx1 | tr -d ' \\n'); "
        f"ts=$(date +%s); id=msg_$RANDOM$RANDOM; body='{sample_body(scope)}'; "
        "sig=$(printf '%s' \"$id.$ts.$body\" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$key -binary | base64); "
        f"curl -sS -X POST '{url}' "
        "-H 'content-type: application/json' "
        '-H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" '
        '--data-raw "$body"'
    )


def python_snippet(url: str, scope: str, secret: str | None = None) -> str:
    """Python 3 with the standardwebhooks package (pip install standardwebhooks) and the standard library."""
    return f"""import json
from dataclasses import dataclass
import urllib.request
import uuid
from datetime import datetime, timezone

from standardwebhooks import Webhook

url = "{url}"
secret = "{secret or SECRET_PLACEHOLDER}"
body = json.dumps({{"type": "{scope}", "data": {{"id": "test-1"}}}})
msg_id = "msg_" + uuid.uuid4().hex
now = datetime.now(tz=timezone.utc)
headers = {{
    "content-type": "application/json",
    "webhook-id": msg_id,
    "webhook-timestamp": str(int(now.timestamp())),
    "webhook-signature": Webhook(secret).sign(msg_id, now, body),
}}
request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
with urllib.request.urlopen(request) as response:
    print(response.status, response.read().decode())
"""


@dataclass(frozen=True)
class ScopeSnippets:
    scope: str
    curl: str
    python: str


def snippets_per_scope(url: str, scopes: list[str], secret: str | None = None) -> list[ScopeSnippets]:
    """A curl and a Python snippet for each declared scope, in the order given."""
    return [
        ScopeSnippets(scope, curl_snippet(url, scope, secret), python_snippet(url, scope, secret)) for scope in scopes
    ]
