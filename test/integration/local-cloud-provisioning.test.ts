import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';

import { DeviceKey } from '../../main/cloud/device-key.js';
import { LinkClient } from '../../main/cloud/link-client.js';
import { TokenClient } from '../../main/cloud/token-client.js';
import { LocalCloud, type LocalBrokerChoice } from '../../main/local-cloud/local-cloud.js';
import { systemClock } from '../../main/support/clock.js';
import { silentLogger } from '../../main/support/logger.js';
import { startMosquitto, type MosquittoProcess } from '../support/mosquitto.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startCloud(broker: LocalBrokerChoice): Promise<LocalCloud> {
  const cloud = await LocalCloud.start({ broker, clock: systemClock, logger: silentLogger });
  cleanups.push(() => cloud.close());
  return cloud;
}

async function startDynsecMosquitto(): Promise<MosquittoProcess> {
  const mosquitto = await startMosquitto({ dynamicSecurity: true });
  cleanups.push(() => mosquitto.close());
  return mosquitto;
}

/** Links a new device, requests its first token, and returns the CONNACK reason of one connect. */
async function firstConnectReason(cloud: LocalCloud): Promise<number> {
  const { code } = await cloud.operator().mintLinkCode();
  const linker = new LinkClient({
    baseUrl: cloud.endpoints.httpUrl,
    clock: systemClock,
    logger: silentLogger,
  });
  const linked = await linker.link(code);
  const tokens = new TokenClient({
    baseUrl: cloud.endpoints.httpUrl,
    deviceId: linked.deviceId,
    key: DeviceKey.fromBase64(linked.devicePrivateKey),
    clock: systemClock,
  });
  const { accessToken } = await tokens.requestToken();

  const client = mqtt.connect(cloud.endpoints.mqttUrl, {
    protocolVersion: 5,
    clientId: linked.deviceId,
    username: linked.deviceId,
    password: accessToken,
    reconnectPeriod: 0,
  });
  cleanups.push(() => client.endAsync(true));
  return new Promise((resolve) => {
    client.once('connect', (connack) => resolve(connack.reasonCode ?? 0));
    client.once('error', (error) => resolve(Number((error as { code?: unknown }).code ?? -1)));
  });
}

describe('local cloud token provisioning', () => {
  it('accepts the first connect at the embedded broker', async () => {
    const cloud = await startCloud({ kind: 'embedded' });

    expect(await firstConnectReason(cloud)).toBe(0);
  });

  it(
    'accepts the first connect at mosquitto with dynamic security',
    { timeout: 30_000 },
    async () => {
      const mosquitto = await startDynsecMosquitto();
      const cloud = await startCloud({
        kind: 'mosquitto-dynsec',
        url: mosquitto.url,
        adminUsername: mosquitto.admin?.username ?? '',
        adminPassword: mosquitto.admin?.password ?? '',
      });

      const reasons = [];
      for (let device = 0; device < 5; device += 1) reasons.push(await firstConnectReason(cloud));

      expect(reasons).toEqual([0, 0, 0, 0, 0]);
    },
  );
});
