import { ApiError } from './api-error.js';
import type { ApiDependencies, MethodDefinition, RequestContext } from './moonraker-api.js';
import type { HistoryJob } from './printer-backend.js';
import {
  optionalInteger,
  optionalNumber,
  optionalString,
  requireString,
  type RequestArgs,
} from './request-args.js';

/** Moonraker's API version as the recordings (Moonraker v0.9.3) report it. */
const API_VERSION = [1, 5, 0] as const;

const COMPONENTS = [
  'secrets',
  'template',
  'klippy_connection',
  'jsonrpc',
  'internal_transport',
  'application',
  'websockets',
  'database',
  'file_manager',
  'authorization',
  'klippy_apis',
  'machine',
  'data_store',
  'proc_stats',
  'job_state',
  'job_queue',
  'history',
];

const ROOTS = ['config', 'logs', 'gcodes', 'timelapse'];

/** `server.*` methods: server info, connection identity, files and job history. */
export function serverMethods(dependencies: ApiDependencies): Record<string, MethodDefinition> {
  return {
    'server.info': { handler: (_args, context) => serverInfo(dependencies, context) },
    'server.connection.identify': {
      handler: (args, context) => identify(dependencies, args, context),
      websocketOnly: true,
    },
    'server.files.metadata': { handler: (args, context) => metadata(dependencies, args, context) },
    'server.files.list': { handler: (args) => listFiles(dependencies, args) },
    'server.history.list': { handler: (args, context) => listHistory(dependencies, args, context) },
  };
}

function serverInfo(dependencies: ApiDependencies, context: RequestContext): unknown {
  const { klippyState } = dependencies.backend.snapshot(context.client?.id);
  return {
    klippy_connected: klippyState !== 'disconnected',
    klippy_state: klippyState,
    components: COMPONENTS,
    failed_components: [],
    registered_directories: ROOTS,
    warnings: [],
    websocket_count: dependencies.websocketCount(),
    moonraker_version: dependencies.identity.moonrakerVersion,
    missing_klippy_requirements: [],
    api_version: API_VERSION,
    api_version_string: API_VERSION.join('.'),
  };
}

/**
 * Identifies the connection. Moonraker allows it once per connection, and accepts the API key
 * here for clients that could not send the `X-Api-Key` header with the websocket upgrade.
 */
function identify(
  dependencies: ApiDependencies,
  args: RequestArgs,
  context: RequestContext,
): unknown {
  const client = context.client;
  if (!client) throw new ApiError('method_not_found', 'Method not found');
  if (client.identified) throw new ApiError('bad_request', 'Connection already identified');
  for (const name of ['client_name', 'version', 'type', 'url']) requireString(args, name);
  authenticateWithKey(dependencies, args, client);
  client.identified = true;
  return { connection_id: client.connectionId };
}

function authenticateWithKey(
  dependencies: ApiDependencies,
  args: RequestArgs,
  client: NonNullable<RequestContext['client']>,
): void {
  if (client.authenticated) return;
  const key = args['api_key'];
  if (key === undefined || key === null) throw new ApiError('unauthorized', 'Unauthorized');
  if (key !== dependencies.apiKey) throw new ApiError('unauthorized', 'Invalid API Key');
  client.authenticated = true;
}

function metadata(
  dependencies: ApiDependencies,
  args: RequestArgs,
  context: RequestContext,
): unknown {
  const filename = requireString(args, 'filename');
  const file = dependencies.backend.catalog.file(filename);
  if (!file) throw new ApiError('not_found', `Metadata not available for <${filename}>`);
  const { history } = dependencies.backend.snapshot(context.client?.id);
  const lastJob = [...history].reverse().find((job) => job['filename'] === file.filename);
  return {
    ...file.metadata,
    print_start_time: lastJob?.start_time ?? null,
    job_id: lastJob?.job_id ?? null,
    filename: file.filename,
  };
}

function listFiles(dependencies: ApiDependencies, args: RequestArgs): unknown {
  const root = optionalString(args, 'root', 'gcodes');
  if (!ROOTS.includes(root)) throw new ApiError('bad_request', `Invalid root request: ${root}`);
  return root === 'gcodes' ? dependencies.backend.catalog.list() : [];
}

/** `server.history.list`: newest first unless `order=asc`, filtered by start time. */
function listHistory(
  dependencies: ApiDependencies,
  args: RequestArgs,
  context: RequestContext,
): unknown {
  const limit = optionalInteger(args, 'limit', 50);
  const start = optionalInteger(args, 'start', 0);
  const since = optionalNumber(args, 'since');
  const before = optionalNumber(args, 'before');
  const order = optionalString(args, 'order', 'desc');
  if (order !== 'asc' && order !== 'desc') {
    throw new ApiError('bad_request', `Invalid "order" argument: ${order}`);
  }
  const { history } = dependencies.backend.snapshot(context.client?.id);
  const matching = history.filter((job) => isWithin(job, since, before));
  const ordered = order === 'asc' ? matching : [...matching].reverse();
  const jobs = ordered.slice(start, limit > 0 ? start + limit : undefined);
  return { count: jobs.length, jobs };
}

function isWithin(job: HistoryJob, since: number | undefined, before: number | undefined): boolean {
  if (since !== undefined && job.start_time <= since) return false;
  if (before !== undefined && job.start_time >= before) return false;
  return true;
}
