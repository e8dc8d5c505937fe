import type { z } from 'zod';

import {
  MAX_COMMAND_PAYLOAD_BYTES,
  envelopeCommandRequestSchema,
  legacyCommandRequestSchema,
} from '../../shared/contract/commands.js';
import type { CommandErrorCode } from '../../shared/contract/commands.js';
import { parseCommandTopic } from '../../shared/contract/topics.js';

/**
 * Turns one MQTT message from `commands/#` into a command. Two request formats are accepted: the
 * current `command.request` envelope (`$id`, with `command` and `parameters` inside `payload`) and
 * the older flat document (`commandId`, `command` or `action`, and `parameters` or `payload`).
 */

export type CommandParseResult = ParsedCommand | RejectedCommand | IgnoredMessage;

export interface ParsedCommand {
  kind: 'parsed';
  commandId: string;
  /** Lower-cased name that selects the handler: the payload's `command`, else the topic's. */
  command: string;
  /** Command segment of the topic exactly as received; the ack topic is built from it. */
  topicName: string;
  parameters: Record<string, unknown>;
}

/** A message on a valid command topic that cannot be run; it gets one failed dispatch ack. */
export interface RejectedCommand {
  kind: 'rejected';
  code: CommandErrorCode;
  message: string;
  /** `''` when the id could not be read. */
  commandId: string;
  topicName: string;
}

/** A message on a topic that is not this device's command topic; nothing is sent back. */
export interface IgnoredMessage {
  kind: 'ignored';
  reason: string;
}

type Document = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseCommandMessage(
  topic: string,
  payload: Uint8Array,
  deviceId: string,
): CommandParseResult {
  const topicName = parseCommandTopic(topic, deviceId);
  if (topicName === null) return { kind: 'ignored', reason: 'not a command topic of this device' };

  const reject = (code: CommandErrorCode, message: string, commandId = ''): RejectedCommand => ({
    kind: 'rejected',
    code,
    message,
    commandId,
    topicName,
  });

  if (payload.byteLength > MAX_COMMAND_PAYLOAD_BYTES) {
    const limit = MAX_COMMAND_PAYLOAD_BYTES;
    return reject('payload_too_large', `Payload of ${payload.byteLength} bytes exceeds ${limit}`);
  }
  const document = decodeDocument(payload);
  if (typeof document === 'string') return reject(codeOfDecodeFailure(document), document);

  return parseDocument(document, topicName, reject);
}

type Reject = (code: CommandErrorCode, message: string, commandId?: string) => RejectedCommand;

const INVALID_ENCODING = 'Payload is not valid UTF-8';
const INVALID_JSON = 'Payload is not valid JSON';
const NOT_AN_OBJECT = 'Payload must be a JSON object';

/** Returns the decoded JSON object, or the message of the first check that failed. */
function decodeDocument(payload: Uint8Array): Document | string {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return INVALID_ENCODING;
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
  return isPlainObject(value) ? value : NOT_AN_OBJECT;
}

function codeOfDecodeFailure(message: string): CommandErrorCode {
  if (message === INVALID_ENCODING) return 'invalid_encoding';
  if (message === INVALID_JSON) return 'invalid_json';
  return 'invalid_payload';
}

function parseDocument(document: Document, topicName: string, reject: Reject): CommandParseResult {
  const envelope = isEnvelope(document);
  const commandId = readCommandId(
    envelope ? (document.$id ?? document.commandId) : document.commandId,
  );
  if (commandId === '')
    return reject('invalid_payload', 'Payload has no command id ($id or commandId)');

  const checked = envelope
    ? envelopeCommandRequestSchema.safeParse({ ...document, $id: commandId })
    : legacyCommandRequestSchema.safeParse(document);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const code = isParametersIssue(issue, envelope) ? 'invalid_parameters' : 'invalid_payload';
    return reject(code, describeIssue(issue), commandId);
  }

  const body: Document = envelope ? (document.payload as Document) : document;
  const parameters = envelope ? body.parameters : (document.parameters ?? document.payload);
  return {
    kind: 'parsed',
    commandId,
    command: readCommandName(body, topicName),
    topicName,
    parameters: isPlainObject(parameters) ? parameters : {},
  };
}

/** Detects an envelope by its `$id` or `$type`. The `$v` version is deliberately not checked. */
function isEnvelope(document: Document): boolean {
  return document.$id !== undefined || document.$type !== undefined;
}

/** Reads an id that is a string or a number, trimmed; anything else reads as `''`. */
function readCommandId(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function readCommandName(body: Document, topicName: string): string {
  const named = [body.command, body.action].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return (named ?? topicName).trim().toLowerCase();
}

function isParametersIssue(issue: z.core.$ZodIssue | undefined, envelope: boolean): boolean {
  const [first, second] = issue?.path ?? [];
  if (envelope) return first === 'payload' && second === 'parameters';
  return first === 'parameters' || first === 'payload';
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'Payload is invalid';
  const path = issue.path.map(String).join('.');
  if (path.endsWith('parameters') || path === 'payload') return `'${path}' must be a JSON object`;
  return `Payload field '${path}' is invalid: ${issue.message}`;
}

function isPlainObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
