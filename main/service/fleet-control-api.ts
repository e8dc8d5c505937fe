import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { ControlApi } from '../../shared/control-api/methods.js';
import type { DiscoveredPrinter } from '../../shared/control-api/printer-views.js';
import { CodedError } from '../support/coded-error.js';
import { probeMoonraker } from '../discovery/moonraker-probe.js';
import type { FleetService } from './fleet-service.js';
import { telemetryOf } from './fleet-service.js';
import { setMoonrakerUrl } from './moonraker-url-change.js';
import { completeClickToLink } from './click-to-link-report.js';
import {
  assertMoonrakerInstanceFree,
  assertMoonrakerUrlFree,
  assertPrinterNameFree,
  defaultPrinterName,
  moonrakerUrlOf,
  toFleetPrinter,
  withParsedHost,
} from './printer-records.js';
import { DEFAULT_RENDERER_LOG_LIMITS, RendererLog } from './renderer-log.js';
import { diagnosticsBundleName, writeDiagnosticsBundle } from './settings/diagnostics-bundle.js';

/** Deadline of each HTTP request of a probe, as in `DiscoveryService`. */
const DEFAULT_PROBE_TIMEOUT_MS = 3_000;

/** Implements every control API method on the fleet service's parts. */
export function buildControlApi(service: FleetService): ControlApi {
  const { runtime, settings, secrets, discovery, linking } = service;
  const { clock } = service.options;
  const rendererLog = new RendererLog(
    service.options.logger.child({ component: 'renderer' }),
    () => clock.monotonic(),
    DEFAULT_RENDERER_LOG_LIMITS,
    () => service.redactedValues(),
  );

  return {
    'printers.list': async () => runtime.summaries(),
    'printers.get': async ({ printerId }) => runtime.detail(service.printerSettings(printerId).id),
    'printers.temperatureHistory': async ({ printerId }) =>
      runtime.temperatureHistory(service.printerSettings(printerId).id),

    'printers.add': async (request) => {
      const { name, host, port, apiKey, force } = withParsedHost(request);
      const moonrakerUrl = moonrakerUrlOf(host, port);
      assertMoonrakerUrlFree(settings.get().printers, moonrakerUrl);
      if (name !== undefined) assertPrinterNameFree(settings.get().printers, name);
      const found = force ? undefined : await discovery.probe(host, port, apiKey);
      if (found) assertMoonrakerInstanceFree(settings.get().printers, found.key);
      if (found?.state === 'unauthorized') {
        throw await unauthorizedPrinter(service, { host, port, apiKey }, found);
      }
      const id = randomUUID();
      const printer = {
        id,
        name: name ?? '',
        moonrakerUrl,
        enabled: true,
        ...(found ? { instanceKey: found.key } : {}),
      };
      if (apiKey) await secrets.setApiKey(id, apiKey);
      await settings.update((draft) => {
        // Checked again here, because another call may have taken the name during the probe.
        if (name !== undefined) assertPrinterNameFree(draft.printers, name);
        printer.name = name ?? defaultPrinterName(draft.printers, found?.hostname, host);
        draft.printers.push(printer);
      });
      if (found) discovery.setPrinterId(found.key, id);
      return runtime.add(await toFleetPrinter(settings.get().printers.at(-1) ?? printer, secrets));
    },

    'printers.remove': async ({ printerId }) => {
      const printer = service.printerSettings(printerId);
      // Both calls do their first step before their first await: the cancel reports the printer
      // by name and stops its link, then the runtime drops the printer, so no new link finds
      // it. The cancel settles after the link has, without saving credentials.
      await Promise.all([linking.cancel(printerId, 'removed'), runtime.remove(printerId)]);
      await secrets.forgetPrinter(printerId);
      await settings.update((draft) => {
        draft.printers = draft.printers.filter((candidate) => candidate.id !== printerId);
      });
      if (printer.instanceKey) discovery.setPrinterId(printer.instanceKey, undefined);
      if (printer.deviceId) await service.removeDeviceData(printer.deviceId);
      linking.forget(printerId);
      service.emit('printer.removed', { printerId });
      return { ok: true };
    },

    'printers.rename': async ({ printerId, name }) => {
      service.printerSettings(printerId);
      await settings.update((draft) => {
        assertPrinterNameFree(draft.printers, name, printerId);
        const printer = draft.printers.find((candidate) => candidate.id === printerId);
        if (printer) printer.name = name;
      });
      return runtime.rename(printerId, name);
    },

    'printers.setEnabled': async ({ printerId, enabled }) => {
      service.printerSettings(printerId);
      await settings.update((draft) => {
        const printer = draft.printers.find((candidate) => candidate.id === printerId);
        if (printer) printer.enabled = enabled;
      });
      return runtime.setEnabled(printerId, enabled);
    },

    'printers.setApiKey': async ({ printerId, apiKey }) => {
      service.printerSettings(printerId);
      if (apiKey === null) await secrets.deleteApiKey(printerId);
      else await secrets.setApiKey(printerId, apiKey);
      return runtime.reconfigure(printerId, { apiKey });
    },

    'printers.setMoonrakerUrl': async ({ printerId, moonrakerUrl }) =>
      setMoonrakerUrl(service, printerId, moonrakerUrl),

    'printers.setTelemetryRate': async ({ printerId, ...rate }) => {
      service.printerSettings(printerId);
      return runtime.setTelemetryRate(printerId, rate);
    },

    'discovery.list': async () => discovery.list(),
    'discovery.refresh': async () => {
      await discovery.refresh();
      return { ok: true };
    },
    'discovery.interfaces': async () => discovery.interfaces(),
    'discovery.probe': async ({ host, port }) => discovery.probe(host, port),
    'discovery.startSweep': async (request) => discovery.startSweep(request),
    'discovery.cancelSweep': async ({ sweepId }) => {
      discovery.cancelSweep(sweepId);
      return { ok: true };
    },

    'link.withCode': async ({ printerId, code }) => {
      service.printerSettings(printerId);
      await linking.linkWithCode(printerId, code);
      return runtime.summary(printerId);
    },

    'link.start': async ({ printerIds }) => {
      for (const printerId of printerIds) service.printerSettings(printerId);
      return linking.startClickToLink(printerIds, service.linkCallbackOptions());
    },

    'link.complete': async ({ callbackUrl }) => {
      const report = await completeClickToLink(service, callbackUrl);
      return [...report.linked, ...report.failed.flatMap((failure) => failure.summary ?? [])];
    },

    'link.cancel': async ({ printerId }) => {
      service.printerSettings(printerId);
      await linking.cancel(printerId);
      return runtime.summary(printerId);
    },

    'link.activity': async () => linking.activity(),

    'link.dismissOutcome': async ({ printerId }) => {
      service.printerSettings(printerId);
      linking.dismissOutcome(printerId);
      return { ok: true };
    },

    'link.unlink': async ({ printerId }) => {
      const { name, deviceId } = service.printerSettings(printerId);
      // A device id without credentials is a broken link, which unlinking clears.
      if (!deviceId && !runtime.hasCredentials(printerId)) {
        throw new CodedError('not_linked', `${name} is not linked, so there is nothing to unlink`);
      }
      await runtime.reconfigure(printerId, { credentials: null });
      await secrets.deleteCredentials(printerId);
      await settings.update((draft) => {
        const printer = draft.printers.find((candidate) => candidate.id === printerId);
        if (!printer) return;
        delete printer.deviceId;
        delete printer.printerId;
        delete printer.tenantId;
        delete printer.linkedAt;
      });
      // The last link outcome, such as "linked", no longer describes the printer.
      linking.forget(printerId);
      if (deviceId) await service.removeDeviceData(deviceId);
      return runtime.summary(printerId);
    },

    'settings.get': async () => settings.get(),
    'settings.dismissProblem': async () => settings.dismissProblem(),
    'settings.update': async (patch) => {
      const before = settings.get();
      const after = await settings.update(patch);
      // The bridges use only the API and broker addresses. Linking reads Owl Web's at each start.
      if (
        before.cloud.baseUrl !== after.cloud.baseUrl ||
        before.cloud.brokerUrl !== after.cloud.brokerUrl ||
        JSON.stringify(before.telemetry) !== JSON.stringify(after.telemetry)
      ) {
        await runtime.updateShared({
          cloud: { baseUrl: after.cloud.baseUrl, brokerUrl: after.cloud.brokerUrl },
          telemetry: telemetryOf(after),
        });
      }
      if (before.discovery.interfaceAddress !== after.discovery.interfaceAddress) {
        discovery.setInterfaceAddress(after.discovery.interfaceAddress);
      }
      return after;
    },

    'diagnostics.export': async ({ path }) => {
      const ids = settings.get().printers.map((printer) => printer.id);
      const target = path ?? join(service.options.dataDir, diagnosticsBundleName(clock.now()));
      return writeDiagnosticsBundle({
        path: target,
        settings: settings.get(),
        secretsRedacted: [...(await secrets.secretValues(ids)), ...service.redactedValues()],
        logs: service.options.logBuffer.recent().map((line) => line.raw),
        timelines: Object.fromEntries(
          ids.filter((id) => runtime.has(id)).map((id) => [id, runtime.timeline(id)]),
        ),
        snapshots: Object.fromEntries(
          ids.filter((id) => runtime.has(id)).map((id) => [id, runtime.detail(id)]),
        ),
        appVersion: service.options.version,
        clock,
      });
    },

    'log.write': async (line) => ({ logged: rendererLog.write(line) }),

    'logs.recent': async ({ limit }) =>
      service.options.logBuffer.recent(limit).map(({ at, level, message, printer, printerId }) => ({
        at,
        level,
        message,
        ...(printer ? { printer } : {}),
        ...(printerId ? { printerId } : {}),
      })),

    'service.info': async () => ({
      dataDir: service.options.dataDir,
      version: service.options.version,
    }),
  };
}

/**
 * Builds the rejection of a printer whose Moonraker requests authorization. The discovery list
 * keeps only the hint's text, so the printer is probed once more for the error with the
 * `trusted_clients` entry and the moonraker.conf lines in its details, which the UI shows.
 */
async function unauthorizedPrinter(
  service: FleetService,
  target: { host: string; port?: number; apiKey?: string },
  found: DiscoveredPrinter,
): Promise<CodedError> {
  const seams = service.options.discovery ?? {};
  const result = await probeMoonraker({
    ...target,
    timeoutMs: seams.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    clock: service.options.clock,
    ...(seams.request ? { request: seams.request } : {}),
    ...(seams.interfaces ? { interfaces: seams.interfaces } : {}),
  });
  if (result.kind !== 'confirmed') return result.error;
  // Moonraker accepted the second probe, as when trusted_clients changed in between.
  return new CodedError(
    'moonraker_unauthorized',
    found.hint ?? `Moonraker at ${found.host}:${found.port} requested authorization; try again`,
    { details: { host: found.host, port: found.port } },
  );
}
