import { z } from 'zod';

import type { TopicRules } from './owl-topic-rules.js';

/** Topic the dynamic-security plugin of mosquitto 2 reads commands from. */
export const DYNSEC_COMMAND_TOPIC = '$CONTROL/dynamic-security/v1';
/** Topic the plugin publishes the results of each command batch on. */
export const DYNSEC_RESPONSE_TOPIC = '$CONTROL/dynamic-security/v1/response';

/** One command of the plugin's JSON control API, such as `createClient` or `addRoleACL`. */
export interface DynsecCommand {
  readonly command: string;
  readonly [field: string]: unknown;
}

/** The plugin's response to one command; `error` is set when the command failed. */
export const dynsecResponseSchema = z.object({
  command: z.string(),
  correlationData: z.string().optional(),
  error: z.string().optional(),
  data: z.unknown().optional(),
});

export type DynsecResponse = z.infer<typeof dynsecResponseSchema>;

export const dynsecResponseBatchSchema = z.object({
  responses: z.array(dynsecResponseSchema),
});

/** Error texts of mosquitto 2.0 that mean the object is already in the wanted state. */
export const DYNSEC_ALREADY_EXISTS = new Set(['Client already exists', 'Role already exists']);
export const DYNSEC_NOT_FOUND = new Set(['Client not found', 'Role not found']);

interface DynsecAcl {
  readonly acltype: string;
  readonly topic: string;
  readonly allow: boolean;
}

/**
 * Translates topic rules into role ACLs: `publishClientSend` per publish filter, and per subscribe
 * filter `subscribePattern` (filters inside it), `subscribeLiteral` (the filter itself) and
 * `publishClientReceive`, because the default ACL denies receiving.
 */
export function aclsForRules(rules: TopicRules): DynsecAcl[] {
  const publish = rules.publish.map((topic) => allow('publishClientSend', topic));
  const subscribe = rules.subscribe.flatMap((topic) => [
    allow('subscribePattern', topic),
    allow('subscribeLiteral', topic),
    allow('publishClientReceive', topic),
  ]);
  return [...publish, ...subscribe];
}

/** Denies everything that no role allows; unsubscribing stays allowed. */
export const DEFAULT_ACL_ACCESS: DynsecCommand = {
  command: 'setDefaultACLAccess',
  acls: [
    { acltype: 'publishClientSend', allow: false },
    { acltype: 'publishClientReceive', allow: false },
    { acltype: 'subscribe', allow: false },
    { acltype: 'unsubscribe', allow: true },
  ],
};

function allow(acltype: string, topic: string): DynsecAcl {
  return { acltype, topic, allow: true };
}
