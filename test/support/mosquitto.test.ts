import { connect as connectSocket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { type MosquittoProcess, startMosquitto } from './mosquitto.js';
import { TestClients } from './mqtt-test-clients.js';

const clients = new TestClients();
let mosquitto: MosquittoProcess | undefined;

afterEach(async () => {
  await clients.closeAll();
  await mosquitto?.close();
  mosquitto = undefined;
});

function connectionRefused(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(port, '127.0.0.1', () => {
      socket.destroy();
      reject(new Error('connection was accepted'));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''));
  });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('MosquittoProcess', () => {
  describe('start', () => {
    it('starts a broker that MQTT 5 clients can use', async () => {
      mosquitto = await startMosquitto();
      const subscriber = await clients.connect(mosquitto.url);
      await subscriber.client.subscribeAsync('hello', { qos: 1 });
      const publisher = await clients.connect(mosquitto.url);

      await publisher.client.publishAsync('hello', 'world', { qos: 1 });

      expect(mosquitto.url).toBe(`mqtt://127.0.0.1:${mosquitto.port}`);
      expect((await subscriber.inbox.next()).payload).toBe('world');
      expect(mosquitto.log).toMatch(/mosquitto version \S+ running/);
    });

    it('rejects anonymous clients when asked', async () => {
      mosquitto = await startMosquitto({ allowAnonymous: false });

      const error = await clients.connectRejected(mosquitto.url);

      expect(error.code).toBe(135);
    });

    it('creates admin credentials with dynamic security', async () => {
      mosquitto = await startMosquitto({ dynamicSecurity: true });
      const admin = mosquitto.admin;

      expect(admin?.username).toBe('admin');
      const { connack } = await clients.connect(mosquitto.url, {
        username: admin?.username,
        password: admin?.password,
      });
      expect(connack.reasonCode).toBe(0);
      expect((await clients.connectRejected(mosquitto.url)).code).toBe(135);
    });
  });

  describe('restart', () => {
    it('restarts on the same port', async () => {
      mosquitto = await startMosquitto();
      const { port } = mosquitto;
      const firstPid = mosquitto.pid;

      await mosquitto.restart();

      expect(mosquitto.port).toBe(port);
      expect(mosquitto.pid).not.toBe(firstPid);
      expect(processExists(firstPid ?? -1)).toBe(false);
      const { connack } = await clients.connect(mosquitto.url);
      expect(connack.reasonCode).toBe(0);
    });

    it('keeps retained messages with persistence', async () => {
      mosquitto = await startMosquitto({ persistence: true });
      const publisher = await clients.connect(mosquitto.url);
      await publisher.client.publishAsync('kept', 'across restarts', { qos: 1, retain: true });
      await clients.closeAll();

      await mosquitto.restart();
      const subscriber = await clients.connect(mosquitto.url);
      await subscriber.client.subscribeAsync('kept', { qos: 1 });

      expect((await subscriber.inbox.next()).payload).toBe('across restarts');
    });
  });

  describe('stop', () => {
    it('ends its own process and frees the port', async () => {
      mosquitto = await startMosquitto();
      const pid = mosquitto.pid ?? -1;

      await mosquitto.stop();

      expect(processExists(pid)).toBe(false);
      expect(await connectionRefused(mosquitto.port)).toBe('ECONNREFUSED');
    });

    it('does nothing when already stopped', async () => {
      mosquitto = await startMosquitto();

      await mosquitto.stop();
      await mosquitto.stop();

      expect(await connectionRefused(mosquitto.port)).toBe('ECONNREFUSED');
    });
  });
});
