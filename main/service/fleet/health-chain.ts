import type { PrinterProbe } from '../../../shared/control-api/printer-views.js';
import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import { cloudLink } from './cloud-health.js';
import { report, type HealthLinkReport } from './health-levels.js';
import { klippyLink } from './klippy-health.js';
import { moonrakerLinks } from './moonraker-health.js';
import { standbyLinks } from './standby-health.js';
import type { SupervisorStatus } from './supervisor-state.js';

/** Everything the health chain of one printer is derived from. */
export interface HealthInput {
  enabled: boolean;
  linked: boolean;
  /** Set while a link flow for this printer runs. */
  linking?: boolean;
  supervisor?: SupervisorStatus;
  snapshot?: BridgeSnapshot;
  /** The `trusted_clients` entry for this computer, once looked up. */
  trustedEntry?: string;
  /** The latest probe of a printer that is disabled or unlinked, so no bridge runs. */
  probe?: PrinterProbe;
}

/**
 * Derives a printer's health chain, LAN → Moonraker → Klippy → cloud, in that order. Pure: the
 * same input always gives the same links, which is what the tracker compares to find changes.
 */
export function deriveHealthChain(input: HealthInput): HealthLinkReport[] {
  if (!input.enabled) return disabledChain(input.probe);
  if (!input.linked) return unlinkedChain(input.linking === true, input.probe);

  const supervisor = input.supervisor;
  switch (supervisor?.state) {
    case 'backoff':
      return crashedChain(supervisor);
    case undefined:
    case 'stopping':
    case 'stopped':
      return stoppedChain();
    case 'idle':
    case 'delayed':
      return startingChain();
    case 'starting':
    case 'running':
      break;
  }
  const snapshot = input.snapshot;
  if (!snapshot) return startingChain();
  const [lan, moonraker] = moonrakerLinks(snapshot.moonraker, input.trustedEntry);
  return [lan, moonraker, klippyLink(snapshot), cloudLink(snapshot)];
}

function disabledChain(probe: PrinterProbe | undefined): HealthLinkReport[] {
  return [
    ...standbyLinks(probe),
    report('cloud', 'unknown', 'This printer is disabled', {
      fix: 'Enable it to bridge it again.',
    }),
  ];
}

function unlinkedChain(linking: boolean, probe: PrinterProbe | undefined): HealthLinkReport[] {
  const cloud = linking
    ? report('cloud', 'pending', 'Linking this printer to Owl Cloud')
    : report('cloud', 'warning', 'Not linked to Owl Cloud', {
        fix: 'Link this printer to your Owl account.',
      });
  return [...standbyLinks(probe), cloud];
}

function stoppedChain(): HealthLinkReport[] {
  const skipped = 'Not checked while the bridge is stopped';
  return [
    report('lan', 'unknown', skipped),
    report('moonraker', 'unknown', skipped),
    report('klippy', 'unknown', skipped),
    report('cloud', 'unknown', 'Not connected while the bridge is stopped'),
  ];
}

function startingChain(): HealthLinkReport[] {
  const waiting = 'Waiting for the bridge to start';
  return [
    report('lan', 'pending', waiting),
    report('moonraker', 'pending', waiting),
    report('klippy', 'unknown', 'Not checked until Moonraker is connected'),
    report('cloud', 'pending', waiting),
  ];
}

/**
 * Puts a crash on the cloud link, because a crashed bridge is down as a whole and the cloud is
 * what it connects the printer to. The other links are unknown until the restart.
 */
function crashedChain(supervisor: SupervisorStatus): HealthLinkReport[] {
  const skipped = 'Not checked while the bridge restarts';
  const crash = supervisor.lastCrash;
  const summary = crash
    ? `The bridge stopped with an error: ${crash.message}`
    : 'The bridge stopped with an error';
  return [
    report('lan', 'unknown', skipped),
    report('moonraker', 'unknown', skipped),
    report('klippy', 'unknown', skipped),
    report('cloud', 'error', summary, {
      fix: 'The bridge restarts by itself; if this keeps happening, export the diagnostics and report it.',
      details: {
        crashes: supervisor.crashes,
        ...(crash ? { source: crash.source, at: crash.at } : {}),
        ...(supervisor.nextStartAt === undefined ? {} : { restartAt: supervisor.nextStartAt }),
      },
    }),
  ];
}
