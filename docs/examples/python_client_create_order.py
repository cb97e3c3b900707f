"""Create a card order through the Python client generated from docs/openapi.json, send it again,
then read its payment run: the example of docs/api.md ("Clients generated from the document"),
run against a real stack by test/openapi/document-drift.e2e-spec.ts.

Generate the client first, as docs/api.md says, into a folder on PYTHONPATH:

    openapi-python-client generate --path docs/openapi.json --meta none \
        --output-path payment_orchestrator_client

then: ORCHESTRATOR_URL=http://127.0.0.1:3000 API_TOKEN=<a token of API_TOKENS> \
      CARD_TOKEN=<a card token> python3 docs/examples/python_client_create_order.py

It prints one JSON line: the order's id and status, whether the second send was a replay, and the
run's state.
"""

import json
import os
import sys
import uuid

from payment_orchestrator_client import AuthenticatedClient
from payment_orchestrator_client.api.orders import order_create
from payment_orchestrator_client.api.payment_runs import payment_run_read
from payment_orchestrator_client.models import OrderCreateBody, OrderCreateResponse201, PaymentRunReadResponse200

client = AuthenticatedClient(base_url=os.environ["ORCHESTRATOR_URL"], token=os.environ["API_TOKEN"], timeout=30.0)
body = OrderCreateBody.from_dict(
    {
        "type": "online",
        "processing_mode": "automatic",
        "total_amount": "200.00",
        "external_reference": "python-client-example",
        "payer": {"email": "test@testuser.com"},
        "transactions": {
            "payments": [
                {"amount": "200.00", "payment_method": {"id": "master", "type": "credit_card", "token": os.environ["CARD_TOKEN"], "installments": 1}}
            ]
        },
    }
)
# One key per payment attempt, kept for every retry of it (docs/api.md, "Idempotency keys").
key = str(uuid.uuid4())

created = order_create.sync_detailed(client=client, body=body, x_idempotency_key=key)
if not isinstance(created.parsed, OrderCreateResponse201):
    sys.exit(f"create answered {created.status_code}: {created.content.decode()}")
# The same request with the same key: the first answer again, byte for byte, marked as a replay.
again = order_create.sync_detailed(client=client, body=body, x_idempotency_key=key)
if again.content != created.content:
    sys.exit(f"the second send answered {again.status_code}: {again.content.decode()}")

run = payment_run_read.sync(key, client=client)
if not isinstance(run, PaymentRunReadResponse200):
    sys.exit(f"the payment run read answered {run}")

print(
    json.dumps(
        {
            "order_id": created.parsed.id,
            "status": created.parsed.status,
            "replayed": again.headers.get("idempotent-replayed"),
            "run_state": str(run.state),
            "run_order_id": run.order_id,
        }
    )
)
