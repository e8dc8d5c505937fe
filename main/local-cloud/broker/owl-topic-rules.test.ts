import { afterEach, describe, expect, it } from 'vitest';

import { TestClients } from '../../../test/support/mqtt-test-clients.js';
import { type ConnectRequest, EmbeddedBroker } from './embedded-broker.js';
import {
  isOwlPublishAllowed,
  isOwlSubscribeAllowed,
  isValidDeviceId,
  type OwlPrincipal,
} from './owl-topic-rules.js';

const device: OwlPrincipal = { kind: 'device', deviceId: 'dev-a' };
const clients = new TestClients();
let broker: EmbeddedBroker<OwlPrincipal> | undefined;

afterEach(async () => {
  await clients.closeAll();
  await broker?.close();
  broker = undefined;
});

/** Treats user "ops" as the operator and every other client as the device of its client id. */
function owlPrincipalOf(request: ConnectRequest) {
  const principal: OwlPrincipal =
    request.username === 'ops'
      ? { kind: 'operator', username: 'ops' }
      : { kind: 'device', deviceId: request.clientId };
  return { ok: true as const, principal };
}
const operator: OwlPrincipal = { kind: 'operator', username: 'ops' };

describe('owl-topic-rules', () => {
  describe('isOwlPublishAllowed', () => {
    it.each([
      [device, 'owl/printers/dev-a/status', true],
      [device, 'owl/printers/dev-a/acks/print%3Apause', true],
      [device, 'owl/printers/dev-b/status', false],
      [device, 'owl/broadcasts/config-update', false],
      [operator, 'owl/printers/dev-a/commands/print:pause', true],
      [operator, 'owl/printers/dev-a/config/notify', true],
      [operator, 'owl/broadcasts/config-update', true],
      [operator, 'owl/printers/dev-a/status', false],
    ])('%o publishing to %s: %s', (principal, topic, expected) => {
      expect(isOwlPublishAllowed(principal, topic)).toBe(expected);
    });
  });

  describe('isOwlSubscribeAllowed', () => {
    it.each([
      [device, 'owl/printers/dev-a/commands/#', true],
      [device, 'owl/printers/dev-a/commands/print:pause', true],
      [device, 'owl/printers/dev-a/config/notify', true],
      [device, 'owl/broadcasts/config-update', true],
      [device, 'owl/printers/dev-b/commands/#', false],
      [device, 'owl/printers/dev-a/#', false],
      [device, 'owl/printers/+/commands/#', false],
      [operator, 'owl/printers/#', true],
      [operator, 'owl/printers/+/status', true],
      [operator, '#', false],
    ])('%o subscribing to %s: %s', (principal, filter, expected) => {
      expect(isOwlSubscribeAllowed(principal, filter)).toBe(expected);
    });
  });

  describe('isValidDeviceId', () => {
    it.each(['00000000-0000-0000-0000-000000000000', 'dev-a', 'a'])('accepts %s', (id) => {
      expect(isValidDeviceId(id)).toBe(true);
    });

    it.each(['', 'a/b', 'a+', '#', 'a\nb', 'x'.repeat(129)])('rejects %j', (id) => {
      expect(isValidDeviceId(id)).toBe(false);
    });
  });
});

describe('EmbeddedBroker with Owl topic rules', () => {
  async function startOwlBroker(): Promise<string> {
    broker = new EmbeddedBroker<OwlPrincipal>({
      authenticate: owlPrincipalOf,
      authorizePublish: isOwlPublishAllowed,
      authorizeSubscribe: isOwlSubscribeAllowed,
    });
    return (await broker.listen()).url;
  }

  it('rejects a publish to another device', async () => {
    const url = await startOwlBroker();
    const { client } = await clients.connect(url, { clientId: 'dev-a', username: 'dev-a' });

    const error = await client
      .publishAsync('owl/printers/dev-b/status', '{}', { qos: 1 })
      .catch((e) => e);

    expect(error.code).toBe(135);
  });

  it('routes operator commands to the device', async () => {
    const url = await startOwlBroker();
    const deviceClient = await clients.connect(url, { clientId: 'dev-a', username: 'dev-a' });
    await deviceClient.client.subscribeAsync('owl/printers/dev-a/commands/#', { qos: 1 });
    const operatorClient = await clients.connect(url, { username: 'ops' });
    await operatorClient.client.subscribeAsync('owl/printers/#', { qos: 1 });

    await operatorClient.client.publishAsync('owl/printers/dev-a/commands/print:pause', 'go', {
      qos: 1,
    });
    await deviceClient.client.publishAsync('owl/printers/dev-a/status', 'ok', { qos: 1 });

    expect((await deviceClient.inbox.next()).topic).toBe('owl/printers/dev-a/commands/print:pause');
    const seen = await operatorClient.inbox.take(2);
    expect(seen.map((message) => message.payload)).toEqual(['go', 'ok']);
  });
});
