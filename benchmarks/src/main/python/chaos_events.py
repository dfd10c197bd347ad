#!/usr/bin/env python3
"""The chaos suite's upstream CRM: a non-Java producer of business events.

Publishes Switchboard BusinessEvents on integration.events with Confluent's own Python client
(librdkafka): an idempotent producer with acks=all, the event encoded with the registry's
Confluent-compatible API (the schema registered once, its id cached) and framed in the Confluent
wire format, keyed by eventId.

It reads one event per line on standard input, "<eventId> <ownerId>", so the suite decides when
each event is sent, and prints one line per event on standard output once Kafka has answered:
"acked <eventId>" or "failed <eventId> <reason>". It prints "ready" once the schema is registered.

  chaos_events.py --bootstrap-servers H:P,... --registry-url URL/apis/ccompat/v7 --schema FILE --app-id ID
"""
import argparse
import datetime
import sys
import threading

from confluent_kafka import Producer
from confluent_kafka.avro import CachedSchemaRegistryClient, load
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

TOPIC = 'integration.events'
STAGES = ['Qualification', 'Proposal', 'Negotiation', 'Closing']

output = threading.Lock()


def say(line):
    with output:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()


def event(app_id, event_id, owner_id, number):
    deal_id = 'D-%d' % (10000 + number)
    return {
        'eventId': event_id,
        'appId': app_id,
        'source': 'crm',
        'eventType': 'deal.updated',
        'occurredAt': datetime.datetime.now(datetime.timezone.utc),
        'entity': {'type': 'deal', 'id': deal_id, 'displayName': 'Deal %s' % deal_id,
                   'url': 'https://crm.example/deals/%s' % deal_id},
        'actor': 'crm-sync',
        'concerns': [owner_id],
        'payload': {'ownerId': owner_id, 'token': event_id, 'stage': STAGES[number % len(STAGES)]},
    }


def reported(error, message):
    event_id = message.key().decode('utf-8')
    if error is None:
        say('acked ' + event_id)
    else:
        say('failed %s %s' % (event_id, str(error).replace('\n', ' ')))


def produce_from(lines, producer, serializer, schema, app_id):
    for number, line in enumerate(lines):
        parts = line.split()
        if len(parts) != 2:
            continue
        event_id, owner_id = parts
        value = serializer.encode_record_with_schema(TOPIC, schema, event(app_id, event_id, owner_id, number))
        while True:
            try:
                producer.produce(TOPIC, key=event_id, value=value, on_delivery=reported)
                break
            except BufferError:
                producer.poll(0.1)   # the local queue is full while the brokers are away: wait for room


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bootstrap-servers', required=True)
    parser.add_argument('--registry-url', required=True)
    parser.add_argument('--schema', required=True)
    parser.add_argument('--app-id', required=True)
    args = parser.parse_args()

    schema = load(args.schema)
    serializer = MessageSerializer(CachedSchemaRegistryClient({'url': args.registry_url}))
    # register now, so the first event does not wait for the registry
    serializer.encode_record_with_schema(TOPIC, schema, event(args.app_id, 'registration', 'nobody', 0))
    producer = Producer({
        'bootstrap.servers': args.bootstrap_servers,
        'enable.idempotence': True,
        'acks': 'all',
        'linger.ms': 5,
        # keep retrying through a broker outage for up to five minutes before giving up on an event
        'message.timeout.ms': 300000,
    })
    say('ready')
    reader = threading.Thread(target=produce_from, args=(sys.stdin, producer, serializer, schema, args.app_id),
                              daemon=True)
    reader.start()
    while reader.is_alive():
        producer.poll(0.1)
    producer.flush(300)


if __name__ == '__main__':
    main()
