#!/usr/bin/env python3
"""Publishes one Switchboard BusinessEvent on the app's own topic from Python.

Confluent's own client (confluent-kafka, librdkafka) logged in with the app's Kafka credential
(SASL/SCRAM-SHA-512), writing integration.events.<appId>. The schema is looked up, never
registered: the latest version under integration.events.<appId>-value, which Switchboard
registered with the credential (what use.latest.version=true does). The event is encoded with
that schema and framed in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
Avro binary), then produced idempotently with acks=all, keyed by eventId.

  producer.py --credential credential.json [--event FILE|JSON]

credential.json is the answer of POST /v1/kafka-credentials, saved as it came. Its fields can come
from the environment instead: APP_ID, KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL,
KAFKA_USERNAME, KAFKA_PASSWORD, SCHEMA_REGISTRY_URL; the event from EVENT. Prints
{"eventId", "topic", "partition", "offset", "schemaId"} as one JSON line.
"""
import argparse
import datetime
import io
import json
import os
import struct
import sys

import avro.errors
import avro.io
from confluent_kafka import Producer
from confluent_kafka.avro import CachedSchemaRegistryClient

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = {  # environment variable: field of the credential
    'APP_ID': 'appId', 'KAFKA_BOOTSTRAP_SERVERS': 'bootstrapServers', 'KAFKA_SECURITY_PROTOCOL': 'securityProtocol',
    'KAFKA_USERNAME': 'username', 'KAFKA_PASSWORD': 'password', 'SCHEMA_REGISTRY_URL': 'schemaRegistryUrl',
}


def settings(argv, env):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--credential', help='the answer of POST /v1/kafka-credentials, as a file')
    parser.add_argument('--event', default=env.get('EVENT', os.path.join(HERE, 'event.json')),
                        help='a file or the JSON itself')
    args = parser.parse_args(argv)
    credential = {}
    if args.credential:
        with open(args.credential, encoding='utf-8') as file:
            credential = json.load(file)
    values = {}
    for variable, field in FIELDS.items():
        values[field] = env.get(variable) or credential.get(field)
        if not values[field]:
            parser.error('missing %s: give --credential credential.json or set %s' % (field, variable))
    text = args.event if args.event.lstrip().startswith('{') else open(args.event, encoding='utf-8').read()
    return values, json.loads(text)


class FirstMatchDatumWriter(avro.io.DatumWriter):
    """Writes a union value as the first branch it fits, as the Avro specification and every other
    language's library do. python3-avro 1.11.1 (Debian 12) takes the last branch it fits, so in the
    payload's union (null, boolean, long, double, ...) 12000 would go as 12000.0 and True as 1.0."""

    def write_union(self, writers_schema, datum, encoder):
        for index, candidate in enumerate(writers_schema.schemas):
            if avro.io.validate(candidate, datum):
                encoder.write_long(index)
                return self.write_data(candidate, datum, encoder)
        raise avro.errors.AvroTypeException(writers_schema, datum)


def confluent_frame(schema_id, schema, record):
    """Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, the Avro body."""
    out = io.BytesIO()
    out.write(struct.pack('>bI', 0, schema_id))
    FirstMatchDatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return out.getvalue()


def flatten(value, prefix=''):
    """Nested objects become dotted keys ({customer: {name}} -> customer.name), as the schema asks."""
    flat = {}
    for name, item in value.items():
        if isinstance(item, dict):
            flat.update(flatten(item, prefix + name + '.'))
        else:
            flat[prefix + name] = item
    return flat


def business_event(event, app_id):
    occurred_at = datetime.datetime.fromisoformat(event['occurredAt'].replace('Z', '+00:00'))
    entity = event.get('entity') or {}
    return {
        'eventId': event['eventId'],
        # the app the credential belongs to: a record naming another one is dead-lettered (tenant-mismatch)
        'appId': app_id,
        'source': event['source'],
        'eventType': event['eventType'],
        'occurredAt': occurred_at,
        'entity': {'type': entity.get('type'), 'id': entity.get('id'), 'displayName': entity.get('displayName'),
                   'url': entity.get('url')},
        'actor': event.get('actor'),
        'concerns': event.get('concerns') or [],
        'payload': flatten(event.get('payload') or {}),
    }


def main():
    values, event = settings(sys.argv[1:], os.environ)
    topic = 'integration.events.' + values['appId']
    registry = CachedSchemaRegistryClient({'url': values['schemaRegistryUrl']})
    schema_id, schema, _ = registry.get_latest_schema(topic + '-value')
    if schema_id is None:
        sys.exit('The registry has no schema under %s-value' % topic)
    value = confluent_frame(schema_id, schema, business_event(event, values['appId']))

    producer = Producer({
        'bootstrap.servers': values['bootstrapServers'],
        'security.protocol': values['securityProtocol'],
        'sasl.mechanisms': 'SCRAM-SHA-512',
        'sasl.username': values['username'],
        'sasl.password': values['password'],
        # answered once every in-sync replica has it; a retried send is not written twice
        'acks': 'all',
        'enable.idempotence': True,
        # the Java client's partitioner, so an eventId lands where a Java producer puts it
        'partitioner': 'murmur2_random',
    })
    outcome = {}

    def delivered(error, message):
        outcome['error'], outcome['message'] = error, message

    producer.produce(topic, key=event['eventId'], value=value, on_delivery=delivered)
    producer.flush(30)
    if 'message' not in outcome:
        sys.exit('Could not publish the event: no answer from Kafka within 30 s')
    if outcome['error'] is not None:
        sys.exit('Could not publish the event: %s' % outcome['error'])
    message = outcome['message']
    print(json.dumps({'eventId': event['eventId'], 'topic': message.topic(), 'partition': message.partition(),
                      'offset': str(message.offset()), 'schemaId': schema_id}))


if __name__ == '__main__':
    main()
