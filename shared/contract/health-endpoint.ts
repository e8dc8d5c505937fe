import { z } from 'zod';

/**
 * Body of the local `GET /healthz` endpoint. It is served on loopback for supervisors such as
 * systemd or a container runtime, and is not sent to the cloud.
 */

export const HEALTH_ENDPOINT_PATH = '/healthz';
export const HEALTH_ENDPOINT_DEFAULT_HOST = '127.0.0.1';

export const healthStatusSchema = z.enum(['ok', 'degraded']);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

export const healthComponentSchema = z.object({
  name: z.string().min(1),
  healthy: z.boolean(),
  /** Free text such as `pending_commands=1`, or null when there is nothing to add. */
  detail: z.string().nullable(),
  /** ISO seconds of the last change of this component. */
  updatedAt: z.string(),
});
export type HealthComponent = z.infer<typeof healthComponentSchema>;

export const agentStateReportSchema = z.object({
  /** Detail text of the last transition (for example `runtime ready`), not the state's enum value. */
  state: z.string(),
  /** True only while the agent is active. */
  healthy: z.boolean(),
  updatedAt: z.string(),
});
export type AgentStateReport = z.infer<typeof agentStateReportSchema>;

export const healthReportSchema = z.object({
  status: healthStatusSchema,
  components: z.array(healthComponentSchema),
  agentState: agentStateReportSchema,
});
export type HealthReport = z.infer<typeof healthReportSchema>;

/** `ok` exactly when every component and the agent state are healthy. */
export function overallHealthStatus(
  components: readonly HealthComponent[],
  agentState: AgentStateReport,
): HealthStatus {
  const allHealthy = components.every((component) => component.healthy);
  return allHealthy && agentState.healthy ? 'ok' : 'degraded';
}
