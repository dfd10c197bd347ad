-- Deliveries are claimed endpoint by endpoint now (DeliveryQueue.dueEndpoints, lockDue), through
-- webhook_deliveries_by_endpoint. The index over every pending delivery in due order is dropped:
-- no query needs it any more, and where it exists PostgreSQL may take it for an endpoint's oldest
-- due delivery, reading the backlog of every endpoint held off before it (seen in the webhooks
-- benchmark: 0.4 s a claim behind 200,000 deliveries of an endpoint that was down).
-- Portable between PostgreSQL and the local stack's H2.
DROP INDEX webhook_deliveries_due;
