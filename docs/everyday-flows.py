# The README's ten everyday flows with the official Python SDK (pilot-status 1.15.0), to compare
# with the README's Rust (which `tests/readme_flows.rs` runs against mocks). Not run by the tests.
import base64, hashlib, hmac, json, os, tempfile, time

from pilot_status import NotFoundError, PilotStatusClient
from pilot_status.webhooks.parse import parse_customer_webhook

client = PilotStatusClient(api_key=os.environ["PILOT_STATUS_API_KEY"])

# 1. A template, safe to send again under its key.
sent = client.messages.send(
    {"destinationNumber": "+5511988887777", "templateId": "boas_vindas", "variables": {"nome": "Ana"}},
    idempotency_key="order-42",
)
# 2. Free text.
client.messages.send({"destinationNumber": "+5511988887777", "text": "Oi, Ana!"})
# 3. Where a message stands.
print(client.messages.get(sent["id"])["status"])
# 4. Every number.
for number in client.numbers.list():
    print(number["id"], number["name"], number["isFullyConnected"])
# 5. One setting on, one back to the provider's default.
client.numbers.update_settings("num_01HZX", {"alwaysOnline": True, "rejectCall": None})
# 6. A new key for a number.
print(client.api_keys.regenerate_number("num_01HZX")["keyPrefix"])
# 7. A number that does not exist.
try:
    client.numbers.get("num_unknown")
except NotFoundError as error:
    print("no such number:", error.body)
# 8. A connection link for someone else's number, then its state until connected.
link = client.numbers.remote_pairing({"name": "Cliente Acme", "number": "5511988887777"})
print(link["remotePairingUrl"])
while not client.remote_pairing.get_status(link["remotePairingToken"])["isFullyConnected"]:
    time.sleep(5)


# 9. A webhook delivery: its signature checked, then its event.
def on_webhook(body: bytes, signature: str) -> None:
    secret = os.environ["PILOT_STATUS_WEBHOOK_SECRET"].encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.removeprefix("sha256=").lower()):
        raise PermissionError("bad signature")
    event = parse_customer_webhook(json.loads(body))
    if event["event"] == "message.received":
        print(event["data"]["from"], event["data"]["message"])


# 10. A received document (its Meta media id, and the Meta phone id that received it).
media = client.media.download("1234567890123456", "123456789012345")
name = os.path.basename(media["fileName"] or media["mediaId"])
with open(os.path.join(tempfile.gettempdir(), name), "wb") as file:
    file.write(base64.b64decode(media["base64"].split(",")[-1]))  # a data URI or bare base64
