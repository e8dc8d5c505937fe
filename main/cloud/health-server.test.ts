import { afterEach, describe, expect, it } from 'vitest';

import type { AgentStateReport, HealthComponent } from '../../shared/contract/health-endpoint.js';
import { silentLogger } from '../support/logger.js';
import { HealthServer, startHealthServer, type HealthSnapshot } from './health-server.js';

const UPDATED_AT = '2026-01-01T12:00:00+00:00';

function component(name: string, healthy: boolean, detail: string | null = null): HealthComponent {
  return { name, healthy, detail, updatedAt: UPDATED_AT };
}

const ACTIVE: AgentStateReport = { state: 'runtime ready', healthy: true, updatedAt: UPDATED_AT };

const servers: HealthServer[] = [];

async function serve(snapshot: () => HealthSnapshot): Promise<string> {
  const server = new HealthServer({ port: 0, provider: snapshot, logger: silentLogger });
  servers.push(server);
  const address = await server.start();
  return `http://127.0.0.1:${address.port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('HealthServer', () => {
  describe('GET /healthz', () => {
    it('returns 200 and ok when everything is healthy', async () => {
      const components = [
        component('mqtt', true),
        component('commands', true, 'pending_commands=1'),
      ];
      const base = await serve(() => ({ components, agentState: ACTIVE }));

      const response = await fetch(`${base}/healthz`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ status: 'ok', components, agentState: ACTIVE });
    });

    it('returns 503 and degraded when a component is unhealthy', async () => {
      const components = [component('mqtt', false, 'reconnecting'), component('moonraker', true)];
      const base = await serve(() => ({ components, agentState: ACTIVE }));

      const response = await fetch(`${base}/healthz`);
      const body = (await response.json()) as { status: string };

      expect(response.status).toBe(503);
      expect(body.status).toBe('degraded');
    });

    it('returns 503 when the agent state is not healthy', async () => {
      const agentState = { state: 'mqtt unavailable', healthy: false, updatedAt: UPDATED_AT };
      const base = await serve(() => ({ components: [component('mqtt', true)], agentState }));

      const response = await fetch(`${base}/healthz`);

      expect(response.status).toBe(503);
    });

    it('returns 503 when the provider throws', async () => {
      const base = await serve(() => {
        throw new Error('state store gone');
      });

      const response = await fetch(`${base}/healthz`);
      const body = (await response.json()) as { status: string; agentState: AgentStateReport };

      expect(response.status).toBe(503);
      expect(body.status).toBe('degraded');
      expect(body.agentState.state).toBe('health report failed');
    });
  });

  describe('other requests', () => {
    it.each([
      ['GET', '/'],
      ['GET', '/health'],
      ['POST', '/healthz'],
      ['DELETE', '/healthz'],
    ])('returns 404 for %s %s', async (method, path) => {
      const base = await serve(() => ({ components: [], agentState: ACTIVE }));

      const response = await fetch(`${base}${path}`, { method });

      expect(response.status).toBe(404);
    });
  });
});

describe('startHealthServer', () => {
  const provider = (): HealthSnapshot => ({ components: [], agentState: ACTIVE });

  it('starts nothing when disabled', async () => {
    expect(await startHealthServer({ enabled: false, port: 3333 }, provider, silentLogger)).toBe(
      null,
    );
  });

  it('starts nothing when the port is 0', async () => {
    expect(await startHealthServer({ enabled: true, port: 0 }, provider, silentLogger)).toBe(null);
  });

  it('rejects with listen_failed when the port is taken', async () => {
    const base = await serve(provider);
    const port = Number(new URL(base).port);

    let error: { code?: string; message?: string } | undefined;
    try {
      await startHealthServer({ enabled: true, port }, provider, silentLogger);
    } catch (caught) {
      error = caught as { code: string; message: string };
    }

    expect(error?.code).toBe('listen_failed');
    expect(error?.message).toBe(
      `Health server cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
  });
});
