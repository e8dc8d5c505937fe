import { isoSeconds } from '../../shared/contract/time.js';
import type { BridgeSnapshot } from '../bridge/bridge-snapshot.js';
import type { HealthSnapshot } from '../cloud/health-server.js';

/**
 * Turns bridge snapshots into the health endpoint's report: per printer one component for the
 * broker connection, one for Moonraker and one for commands. The service is healthy when every
 * bridge runs and every component is healthy.
 */
export function serviceHealth(snapshots: readonly BridgeSnapshot[], now: number): HealthSnapshot {
  const updatedAt = isoSeconds(now);
  const components = snapshots.flatMap((snapshot) => [
    {
      name: `mqtt:${snapshot.name}`,
      healthy: snapshot.mqtt.state === 'connected',
      detail: snapshot.mqtt.state === 'connected' ? null : snapshot.mqtt.state,
      updatedAt,
    },
    {
      name: `moonraker:${snapshot.name}`,
      healthy: snapshot.moonraker.state === 'ready',
      detail: snapshot.moonraker.failure?.message ?? null,
      updatedAt,
    },
    {
      name: `commands:${snapshot.name}`,
      healthy: snapshot.state === 'running',
      detail: `pending_commands=${snapshot.commandsInFlight ?? 0}`,
      updatedAt,
    },
  ]);
  const running = snapshots.filter((snapshot) => snapshot.state === 'running').length;
  const healthy = running === snapshots.length && snapshots.length > 0;
  const state = healthy ? 'runtime ready' : `${running} of ${snapshots.length} bridges running`;
  return { components, agentState: { state, healthy, updatedAt } };
}
