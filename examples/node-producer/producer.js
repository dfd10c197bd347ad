#!/usr/bin/env node
'use strict';
// Publishes one Switchboard BusinessEvent on integration.events the way any non-Java upstream
// system can: the schema registered (or found) through the registry's Confluent-compatible API,
// the event encoded with avsc, framed in the Confluent wire format (magic byte 0, 4-byte
// big-endian schema id, Avro binary) and produced with kafkajs, keyed by eventId.
//
//   node producer.js [--bootstrap-servers host:port,...] [--registry-url URL] [--event FILE|JSON]
//
// Each option can come from the environment instead: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL
// (the Confluent API base, e.g. http://127.0.0.1:8080/apis/ccompat/v7 for Apicurio Registry),
// EVENT. Prints {"eventId", "topic", "partition", "offset", "schemaId"} as one JSON line.

const fs = require('fs');
const path = require('path');
const avro = require('avsc');
const { Kafka, Partitioners, logLevel } = require('kafkajs');

const TOPIC = 'integration.events';
// Confluent's TopicNameStrategy, which Switchboard's own serde follows too
const SUBJECT = `${TOPIC}-value`;
// BusinessEvent with BusinessEntity inlined, so one registration is enough (no schema references);
// schemas/src/test/.../SelfContainedSchemaCopyTests keeps it equal to the contract
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, 'BusinessEvent.avsc'), 'utf8'));
const REGISTRY_TIMEOUT_MS = 10000;

function settings(argv, env) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unexpected argument ${argv[i]}`);
    options[match[1]] = match[2] !== undefined ? match[2] : argv[++i];
  }
  const event = options.event || env.EVENT || path.join(__dirname, 'event.json');
  return {
    brokers: (options['bootstrap-servers'] || env.KAFKA_BOOTSTRAP_SERVERS || '127.0.0.1:9092').split(','),
    registryUrl: (options['registry-url'] || env.SCHEMA_REGISTRY_URL || 'http://127.0.0.1:8080/apis/ccompat/v7')
      .replace(/\/+$/, ''),
    event: JSON.parse(event.trim().startsWith('{') ? event : fs.readFileSync(event, 'utf8')),
  };
}

/**
 * The id of the schema under SUBJECT. Posting a schema the subject already has returns its id;
 * a new one becomes the next version if it is BACKWARD compatible (409 otherwise).
 */
async function registerSchema(registryUrl) {
  const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(SUBJECT)}/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(SCHEMA) }),
    signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`Registry refused the schema for ${SUBJECT}: HTTP ${response.status} ${body}`);
  }
  return JSON.parse(body).id;
}

/**
 * The event as avsc wants it: occurredAt in epoch milliseconds, optional fields null, and payload
 * values wrapped in their union branch (the branch says long or double, which JSON cannot).
 */
function toBusinessEvent(event) {
  const occurredAt = Date.parse(event.occurredAt);
  if (Number.isNaN(occurredAt)) {
    throw new Error(`occurredAt must be an ISO-8601 instant such as 2026-11-27T10:15:30Z, not ${event.occurredAt}`);
  }
  const entity = event.entity || {};
  return {
    eventId: event.eventId,
    appId: event.appId,
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
  const { brokers, registryUrl, event } = settings(process.argv.slice(2), process.env);
  const type = avro.Type.forSchema(SCHEMA);
  const value = encode(type, toBusinessEvent(event));
  const schemaId = await registerSchema(registryUrl);

  const kafka = new Kafka({ clientId: 'switchboard-node-producer-example', brokers, logLevel: logLevel.WARN });
  // the Java client's partitioner (murmur2 of the key), so an eventId lands where a Java producer would put it
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    // acks -1: answered once every in-sync replica has it. A retry may write the event twice;
    // routing recognizes the eventId and ignores the repeat.
    const [written] = await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: [{ key: event.eventId, value: confluentFrame(schemaId, value) }],
    });
    console.log(JSON.stringify({
      eventId: event.eventId, topic: written.topicName, partition: written.partition, offset: written.baseOffset, schemaId,
    }));
  } finally {
    await producer.disconnect();
  }
}

main().catch((error) => {
  console.error(`Could not publish the event: ${error.message}`);
  process.exit(1);
});
