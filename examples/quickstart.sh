#!/usr/bin/env bash
# README's walkthrough ("Using it"), run as written against a stack started with ./switchboard start:
# an app, its users, a group, a routing rule, a business event, the notification it becomes, a reply.
# The lines between the walkthrough markers are the README's, word for word (a test compares them);
# what follows them checks that each step did what the README says. Needs curl and jq.
#
#   examples/quickstart.sh        (SWITCHBOARD_DATA_DIR if the stack was started with one)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in curl jq; do
  command -v "$tool" > /dev/null || { echo "quickstart: $tool is needed" >&2; exit 2; }
done

# >>> walkthrough
ADMIN=$(cat "${SWITCHBOARD_DATA_DIR:-.switchboard}/admin-password")
# the platform admin registers an app; the App Certificate is shown only in this response
APP=$(curl -s --fail-with-body -u "admin:$ADMIN" -H 'Content-Type: application/json' -d '{"name":"CRM"}' \
  http://127.0.0.1:8081/v1/apps)
APP_ID=$(echo "$APP" | jq -r .appId)
APP_CERT=$(echo "$APP" | jq -r .appCertificate)
# App ID + App Certificate -> app token with the scopes this walkthrough uses
# (OAuth 2.0 client credentials; metadata at /.well-known/oauth-authorization-server)
APP_TOKEN=$(curl -s --fail-with-body -u "$APP_ID:$APP_CERT" -d grant_type=client_credentials \
  --data-urlencode 'scope=users:write user-tokens:mint conversations:write routing:admin events:ingest kafka-credentials:admin' \
  http://127.0.0.1:8081/oauth2/token | jq -r .access_token)
# the app provisions its users (or its directory publishes them on Kafka, see Publishing business events)
curl -s --fail-with-body -H "Authorization: Bearer $APP_TOKEN" -H 'Content-Type: application/json' -d '{"users":[
  {"userId":"alice","displayName":"Alice Martin"},{"userId":"bob","displayName":"Bob Chen"}]}' \
  http://127.0.0.1:8082/v1/users/import | jq -c .
# app token -> user token for one of its users
USER_TOKEN=$(curl -s --fail-with-body -H "Authorization: Bearer $APP_TOKEN" -H 'Content-Type: application/json' -d '{}' \
  http://127.0.0.1:8081/v1/users/alice/tokens | jq -r .accessToken)
# a group, and a routing rule that notifies it, and the deal's owner, of every won deal
curl -s --fail-with-body -H "Authorization: Bearer $APP_TOKEN" -H 'Content-Type: application/json' -d '{"conversationId":
  "sales-wins","type":"GROUP","name":"Sales wins","members":[{"userId":"alice"},{"userId":"bob"}]}' \
  http://127.0.0.1:8082/v1/conversations | jq -c .
curl -s --fail-with-body -X PUT -H "Authorization: Bearer $APP_TOKEN" -H 'Content-Type: application/json' -d '{
  "name":"Deals won","match":{"source":"crm","eventTypes":["deal.won"],"condition":"payload.amount >= 1000"},
  "targets":[{"type":"CONVERSATION","conversationId":"sales-wins"},{"type":"EVENT_FIELD","field":"payload.ownerId"}],
  "content":{"text":"Deal won: {{entity.displayName}} ({{payload.amount}} {{payload.currency}})"}}' \
  http://127.0.0.1:8083/v1/routing/rules/deals-won | jq -c .
# upstream systems that produce to Kafka get the app's Kafka credentials (see Publishing business events)
curl -s --fail-with-body -X POST -H "Authorization: Bearer $APP_TOKEN" http://127.0.0.1:8081/v1/kafka-credentials \
  > credential.json
# a system that cannot produce to Kafka posts the event instead
curl -s --fail-with-body -H "Authorization: Bearer $APP_TOKEN" -H 'Content-Type: application/json' -d '{"eventId":"crm-42",
  "source":"crm","eventType":"deal.won","occurredAt":"2026-11-27T10:00:00Z","entity":{"type":"deal","id":"D-42",
  "displayName":"ACME"},"payload":{"amount":12000,"currency":"EUR","ownerId":"alice"}}' http://127.0.0.1:8083/v1/events \
  | jq -c .
# the rule posts "Deal won: ACME (12000 EUR)" to the group within moments: wait for it in the history, as alice
for _ in $(seq 1 20); do curl -s -H "Authorization: Bearer $USER_TOKEN" \
  http://127.0.0.1:8083/v1/conversations/sales-wins/messages | jq -e '.messages[].text | select(startswith("Deal won"))' \
  && break; sleep 0.5; done
# end users connect with their token and receive {"type":"message.created","conversationId":...,"seq":...,"text":...}
#   ws://127.0.0.1:8084/v1/ws with Authorization: Bearer $USER_TOKEN (a browser: POST /v1/ws/tickets with the
#   token, then ws://127.0.0.1:8084/v1/ws?ticket=<ticket>, one use within 30 s); ./switchboard demo shows it
# alice replies in the group (the Idempotency-Key makes a retry safe)
curl -s --fail-with-body -H "Authorization: Bearer $USER_TOKEN" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: 7f1c2e' -d '{"type":"TEXT","text":"On it!"}' \
  http://127.0.0.1:8083/v1/conversations/sales-wins/messages | jq -c .
# the group's history: the notification, then the reply
curl -s --fail-with-body -H "Authorization: Bearer $USER_TOKEN" \
  http://127.0.0.1:8083/v1/conversations/sales-wins/messages | jq -r '.messages[].text'
# <<< walkthrough

echo
echo "quickstart: checking what the walkthrough did"
rm -f credential.json   # a password: the walkthrough's reader keeps theirs, the check does not
expected='Deal won: ACME (12000 EUR)
On it!'
texts=$(curl -s --fail-with-body -H "Authorization: Bearer $USER_TOKEN" \
  http://127.0.0.1:8083/v1/conversations/sales-wins/messages | jq -r '.messages[].text')
if [ "$texts" != "$expected" ]; then
  printf 'quickstart: sales-wins should hold, in order:\n%s\nit holds:\n%s\n' "$expected" "$texts" >&2
  exit 1
fi
echo "quickstart: sales-wins holds the notification, then the reply (app $APP_ID)"
