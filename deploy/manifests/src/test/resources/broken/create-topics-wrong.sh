# chat.messages with too few partitions, auth.apps not compacted, a topic not in the catalog, and
# presence.changes missing
integration.events 6 delete
integration.events.dlt 6 delete
chat.messages 6 delete
chat.messages.dlt 12 delete
directory.users 6 compact
directory.users.dlt 6 delete
membership.changes 6 compact
membership.members 12 compact
membership.users 6 compact
membership.requests 6 delete
membership.requests.dlt 6 delete
auth.apps 3 delete
push.deliveries 1 delete
push.deliveries.dlt 1 delete
push.gateways 1 compact
orders.created 3 delete
