#!/usr/bin/env node
// Publishes one Switchboard BusinessEvent on the app's own topic (integration.events.<appId>) the
// way any non-Java upstream system can: logged in with the app's Kafka credential (SASL/SCRAM),
// the schema looked up, never registered, through the registry's Confluent-compatible API (what
// use.latest.version=true does in Confluent's clients), the event encoded with avsc, framed in the
// Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) and produced with
// @platformatic/kafka, keyed by eventId.
//
//   node producer.js --credential credential.json [--event FILE|JSON]
//
// credential.json is the answer of POST /v1/kafka-credentials (or the admin's
// POST /v1/apps/{appId}/kafka-credentials), saved as it came. Its fields can come from the
// environment instead: KAFKA_BOOTSTRAP_SERVERS, KAFKA_USERNAME, KAFKA_PASSWORD,
// KAFKA_SECURITY_PROTOCOL (SASL_SSL or SASL_PLAINTEXT), SCHEMA_REGISTRY_URL, APP_ID; and the event
// from EVENT. Prints {"eventId", "topic", "partition", "offset", "schemaId"} as one JSON line.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import { Producer, ProduceAcks, compatibilityPartitioner, stringSerializer } from '@platformatic/kafka';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// BusinessEvent with BusinessEntity inlined, the same as the registry holds;
// schemas/src/test/.../SelfContainedSchemaCopyTests keeps it equal to the contract
const SCHEMA = JSON.parse(fs.readFileSync(path.join(HERE, 'BusinessEvent.avsc'), 'utf8'));
const REGISTRY_TIMEOUT_MS = 10000;

function settings(argv, env) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unexpected argument ${argv[i]}`);
    options[match[1]] = match[2] !== undefined ? match[2] : argv[++i];
  }
  const credential = options.credential ? JSON.parse(fs.readFileSync(options.credential, 'utf8')) : {};
  const event = options.event || env.EVENT || path.join(HERE, 'event.json');
  const required = (value, what) => {
    if (!value) throw new Error(`Missing ${what}: give --credential credential.json or set it in the environment`);
    return value;
  };
  const appId = required(env.APP_ID || credential.appId, 'the app id (APP_ID)');
  return {
    appId,
    topic: `integration.events.${appId}`,
    brokers: required(env.KAFKA_BOOTSTRAP_SERVERS || credential.bootstrapServers, 'KAFKA_BOOTSTRAP_SERVERS').split(','),
    tls: (env.KAFKA_SECURITY_PROTOCOL || credential.securityProtocol || 'SASL_SSL') === 'SASL_SSL',
    sasl: {
      mechanism: 'SCRAM-SHA-512',
      username: required(env.KAFKA_USERNAME || credential.username, 'KAFKA_USERNAME'),
      password: required(env.KAFKA_PASSWORD || credential.password, 'KAFKA_PASSWORD'),
    },
    registryUrl: required(env.SCHEMA_REGISTRY_URL || credential.schemaRegistryUrl, 'SCHEMA_REGISTRY_URL')
      .replace(/\/+$/, ''),
    event: JSON.parse(event.trim().startsWith('{') ? event : fs.readFileSync(event, 'utf8')),
  };
}

/**
 * The id of the latest schema under the topic's subject (Confluent's TopicNameStrategy), which
 * Switchboard registered with the credential; the producer needs no right to register anything.
 */
async function latestSchemaId(registryUrl, topic) {
  const subject = `${topic}-value`;
  const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`, {
    headers: { Accept: 'application/vnd.schemaregistry.v1+json' },
    signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`The registry has no schema under ${subject}: HTTP ${response.status} ${body}`);
  }
  return JSON.parse(body).id;
}

/**
 * The event as avsc wants it: occurredAt in epoch milliseconds, optional fields null, and payload
 * values wrapped in their union branch (the branch says long or double, which JSON cannot).
 */
function toBusinessEvent(event, appId) {
  const occurredAt = Date.parse(event.occurredAt);
  if (Number.isNaN(occurredAt)) {
    throw new Error(`occurredAt must be an ISO-8601 instant such as 2026-11-27T10:15:30Z, not ${event.occurredAt}`);
  }
  const entity = event.entity || {};
  return {
    eventId: event.eventId,
    // the app the credential belongs to: a record naming another one is dead-lettered (tenant-mismatch)
    appId,
    source: event.source,
    eventType: event.eventType,
    occurredAt,
    entity: { type: entity.type, id: entity.id, displayName: entity.displayName ?? null, url: entity.url ?? null },
    actor: event.actor ?? null,
    concerns: event.concerns ?? [],
    payload: payloadValues(flatten(event.payload ?? {})),
  };
}

/** Nested objects become dotted keys ({customer: {name}} -> customer.name), as the schema asks. */
function flatten(object, prefix = '', into = {}) {
  for (const [name, value] of Object.entries(object)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value, `${prefix}${name}.`, into);
    } else {
      into[`${prefix}${name}`] = value;
    }
  }
  return into;
}

function payloadValues(flat) {
  const wrapped = {};
  for (const [key, value] of Object.entries(flat)) {
    if (value === null) wrapped[key] = null;
    else if (typeof value === 'number') wrapped[key] = Number.isInteger(value) ? { long: value } : { double: value };
    else if (Array.isArray(value)) wrapped[key] = { array: value };
    else wrapped[key] = { [typeof value]: value };
  }
  return wrapped;
}

function encode(type, event) {
  const invalid = [];
  if (!type.isValid(event, { errorHook: (fieldPath) => invalid.push(fieldPath.join('.')) })) {
    throw new Error(`The event does not fit BusinessEvent at: ${invalid.join(', ')}`);
  }
  return type.toBuffer(event);
}

/** Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, the Avro body. */
function confluentFrame(schemaId, avroBody) {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, avroBody]);
}

async function main() {
  const { appId, topic, brokers, tls, sasl, registryUrl, event } = settings(process.argv.slice(2), process.env);
  const value = encode(avro.Type.forSchema(SCHEMA), toBusinessEvent(event, appId));
  const schemaId = await latestSchemaId(registryUrl, topic);

  const producer = new Producer({
    clientId: 'switchboard-node-producer-example',
    bootstrapBrokers: brokers,
    sasl,
    ...(tls ? { tls: {} } : {}),
    // answered once every in-sync replica has it; a retried send is not written twice
    acks: ProduceAcks.ALL,
    idempotent: true,
    // the Java client's partitioner (murmur2 of the key), so an eventId lands where a Java producer puts it
    partitioner: compatibilityPartitioner,
    serializers: { key: stringSerializer },
  });
  try {
    const result = await producer.send({ messages: [{ topic, key: event.eventId, value: confluentFrame(schemaId, value) }] });
    const [written] = result.offsets;
    console.log(JSON.stringify({
      eventId: event.eventId, topic: written.topic, partition: written.partition, offset: String(written.offset), schemaId,
    }));
  } finally {
    await producer.close();
  }
}

main().catch((error) => {
  console.error(`Could not publish the event: ${error.message}`);
  process.exit(1);
});
