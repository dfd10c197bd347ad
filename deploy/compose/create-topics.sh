#!/bin/bash
# One-shot job of docker-compose.yml: creates every topic of the catalog (schemas/.../Topics.java)
# that does not exist yet, with its partitions and cleanup policy. One push-service gateway, so
# push.deliveries has one partition. The deploy/manifests tests keep the list in step with the catalog.
set -euo pipefail
bootstrap=${BOOTSTRAP_SERVERS:-kafka:29092}
while read -r topic partitions cleanup; do
  # compacted topics keep tombstones 7 days (Kafka's default: 1): erasures read them once
  tombstones=()
  [ "$cleanup" = compact ] && tombstones=(--config delete.retention.ms=604800000)
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1 --config "cleanup.policy=$cleanup" "${tombstones[@]}"
done <<'TOPICS'
integration.events 6 delete
integration.events.dlt 6 delete
chat.messages 12 delete
chat.messages.dlt 12 delete
chat.card.updates 6 delete
chat.card.updates.dlt 6 delete
directory.users 6 compact
directory.users.dlt 6 delete
membership.changes 6 compact
membership.members 12 compact
membership.users 6 compact
membership.requests 6 delete
membership.requests.dlt 6 delete
auth.apps 3 compact
auth.revocations 3 compact
presence.changes 6 compact
push.deliveries 1 delete
push.deliveries.dlt 1 delete
push.gateways 1 compact
push.notification.outcomes 6 delete
push.notification.outcomes.dlt 6 delete
TOPICS
echo "topics ready"
