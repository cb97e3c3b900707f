"""Mercado Pago's official Python SDK (PyPI `mercadopago`) as a checkout calls the orchestrator.

Driven by test/clients/sdk-clients.e2e-spec.ts, and the example docs/clients.md shows:
  python3 mercadopago_python.py <api-url> <token> <operation> <json-arguments>
It prints one JSON line: {"status", "body", "error" (the SDK's typed error class, if any), "locked"}.
"""
import json
import sys
import time

import requests
from mercadopago import SDK
from mercadopago.config import RequestOptions
from mercadopago.errors import MercadoPagoError
from mercadopago.http import HttpClient

MERCADO_PAGO = "https://api.mercadopago.com"
# docs/api.md, "What a client should do": wait Retry-After, then the same request with the same key;
# bounded, so a run that never finishes ends the loop with its last 423.
MAX_LOCKED_ANSWERS = 10


class OrchestratorHttpClient(HttpClient):
    """The SDK's pluggable HTTP client (SDK(http_client=…)): the SDK has no public base-URL setting.

    It sends each request to the orchestrator instead of Mercado Pago, adds the answer's headers
    (the SDK's own client drops them, Retry-After included), and sends each request once: retries
    are the caller's, with the same key (the SDK's retry adapter is only mounted for https anyway).
    """

    def __init__(self, base_url):
        self.base_url = base_url

    def request(self, method, url, maxretries=None, retry_on=None, backoff_factor=None, **kwargs):
        if not url.startswith(MERCADO_PAGO):
            raise ValueError(f"not a Mercado Pago URL: {url}")
        answer = requests.request(method, self.base_url + url[len(MERCADO_PAGO):], **kwargs)
        body = answer.json() if answer.content else None
        return {"status": answer.status_code, "response": body, "headers": {name.lower(): value for name, value in answer.headers.items()}}


def still_working(result):
    """Orders' 423 resource_locked, or Wallet Connect's 409 with cause 401001 (docs/api.md)."""
    if result["status"] == 423:
        return True
    if result["status"] != 409:
        return False
    causes = (result["response"] or {}).get("cause") or []
    return any(cause.get("code") == "401001" for cause in causes)


def until_answered(call):
    """One key for the whole attempt: each retry sends the same request with the same key."""
    locked = 0
    while True:
        result = call()
        if not still_working(result) or locked == MAX_LOCKED_ANSWERS:
            return result, locked
        locked += 1
        time.sleep(int(result["headers"]["retry-after"]))


def main():
    api_url, token, operation, arguments = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    sdk = SDK(token, http_client=OrchestratorHttpClient(api_url))
    # One key per payment attempt, chosen by the checkout: without one the SDK sends a random key.
    options = RequestOptions(custom_headers={"x-idempotency-key": arguments["key"]})
    calls = {
        "create_order": lambda: sdk.order().create(arguments["body"], options),
        "process_order": lambda: sdk.order().process(arguments["order_id"], options),
        "create_advanced_payment": lambda: sdk.advanced_payment().create(arguments["body"], options),
    }
    result, locked = until_answered(calls[operation])
    error = None
    try:
        result.raise_for_status()
    except MercadoPagoError as typed:
        error = type(typed).__name__
    print(json.dumps({"status": result["status"], "body": result["response"], "error": error, "locked": locked}))


if __name__ == "__main__":
    main()
