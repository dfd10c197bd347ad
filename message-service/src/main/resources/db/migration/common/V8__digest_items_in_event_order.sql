-- A digest lists its events in the order they happened: events of one window arrive on different
-- partitions, so the order in which routing collected them is not theirs. NULL for items collected
-- before this column existed (ordered by collection time).
ALTER TABLE routing_digest_items ADD COLUMN occurred_at TIMESTAMP WITH TIME ZONE;
