import { ApiError, missingArgument } from './api-error.js';
import type { ApiDependencies, MethodDefinition, RequestContext } from './moonraker-api.js';
import { parseFieldSelection, selectStatus, type FieldSelection } from './object-status.js';
import { requireString, type RequestArgs } from './request-args.js';

/** `printer.*` methods: Klippy info, object status, print control and G-code. */
export function printerMethods(dependencies: ApiDependencies): Record<string, MethodDefinition> {
  const { backend } = dependencies;
  const command = (run: (args: RequestArgs) => void): MethodDefinition => ({
    handler: (args) => {
      run(args);
      return 'ok';
    },
    needsKlippy: true,
  });
  return {
    'printer.info': {
      handler: (_args, context) => printerInfo(dependencies, context),
      needsKlippy: true,
    },
    'printer.objects.list': {
      handler: () => ({ objects: backend.objectNames() }),
      needsKlippy: true,
    },
    'printer.objects.query': {
      handler: (args, context) => query(dependencies, args, context),
      needsKlippy: true,
    },
    'printer.objects.subscribe': {
      handler: (args, context) => subscribe(dependencies, args, context),
      websocketOnly: true,
      needsKlippy: true,
    },
    'printer.print.start': command((args) => backend.startPrint(requireString(args, 'filename'))),
    'printer.print.pause': command(() => backend.pausePrint()),
    'printer.print.resume': command(() => backend.resumePrint()),
    'printer.print.cancel': command(() => backend.cancelPrint()),
    'printer.emergency_stop': command(() => backend.emergencyStop()),
    'printer.firmware_restart': command(() => backend.firmwareRestart()),
    'printer.gcode.script': command((args) => backend.runGcode(requireString(args, 'script'))),
  };
}

/** Klippy host information; the paths are those of a stock installation. */
function printerInfo(dependencies: ApiDependencies, context: RequestContext): unknown {
  const snapshot = dependencies.backend.snapshot(context.client?.id);
  return {
    state: snapshot.klippyState,
    state_message: snapshot.stateMessage,
    hostname: dependencies.identity.hostname,
    klipper_path: '/home/pi/klipper',
    python_path: '/home/pi/klippy-env/bin/python',
    process_id: 1300,
    user_id: 1000,
    group_id: 1000,
    log_file: '/home/pi/printer_data/logs/klippy.log',
    config_file: '/home/pi/printer_data/config/printer.cfg',
    software_version: dependencies.identity.klipperVersion,
    cpu_info: '4 core ARMv8 Processor rev 3 (v8l)',
  };
}

function query(dependencies: ApiDependencies, args: RequestArgs, context: RequestContext): unknown {
  const selection = readSelection(args);
  const snapshot = dependencies.backend.snapshot(context.client?.id);
  return { eventtime: snapshot.eventtime, status: selectStatus(snapshot.status, selection) };
}

/**
 * Replaces the client's subscription and responds with the current value of every selected
 * field; an empty `objects` cancels the subscription.
 */
function subscribe(
  dependencies: ApiDependencies,
  args: RequestArgs,
  context: RequestContext,
): unknown {
  const client = context.client;
  if (!client) throw new ApiError('method_not_found', 'Method not found');
  const selection = readSelection(args);
  const { backend } = dependencies;
  backend.beginSubscription(client.id);
  const status = client.subscription.replace(selection, backend.subscribedStatus(client.id));
  context.afterResponse(() => {
    client.subscribed = true;
    backend.subscriptionResponseSent(client.id);
  });
  return { eventtime: backend.snapshot(client.id).eventtime, status };
}

function readSelection(args: RequestArgs): FieldSelection {
  const value = args['objects'];
  if (value === undefined || value === null) throw missingArgument('objects');
  const selection = parseFieldSelection(value);
  if (!selection) {
    throw new ApiError(
      'bad_request',
      'Invalid argument objects: expected object names mapped to null or a list of fields',
    );
  }
  return selection;
}
