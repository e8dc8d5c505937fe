import { describe, expect, it, vi } from 'vitest';

import type { BridgeMethods } from '../../../shared/contract/desktop-ipc.js';
import { ControlError } from '../../../shared/control-api/control-error.js';
import type { ControlMethodName } from '../../../shared/control-api/methods.js';
import { FakeDesktopBridge } from '../test-support/fake-desktop-bridge.js';
import { printerSummary } from '../test-support/fake-transport.js';
import { OwlBridgeTransport } from './owl-bridge.js';

/** The desktop bridge with the given control API verbs. */
function bridgeWith(api: BridgeMethods<ControlMethodName>) {
  const bridge = new FakeDesktopBridge();
  return Object.assign(bridge, { api });
}

describe('OwlBridgeTransport', () => {
  it('calls the named verb of the method', async () => {
    const list = vi.fn(async () => [printerSummary()]);
    const transport = new OwlBridgeTransport(bridgeWith({ 'printers.list': list }));

    const printers = await transport.call('printers.list', {});

    expect(list).toHaveBeenCalledWith({});
    expect(printers.map((printer) => printer.id)).toEqual(['p1']);
  });

  it('rebuilds the coded error of the shell', async () => {
    const get = async () => {
      throw { code: 'not_found', message: 'No printer with id p9' };
    };
    const transport = new OwlBridgeTransport(bridgeWith({ 'printers.get': get }));

    const failure = await transport.call('printers.get', { printerId: 'p9' }).catch((e) => e);

    expect(failure).toBeInstanceOf(ControlError);
    expect((failure as ControlError).code).toBe('not_found');
    expect((failure as ControlError).message).toBe('No printer with id p9');
  });

  it('rejects a method the preload does not offer', async () => {
    const transport = new OwlBridgeTransport(bridgeWith({}));

    const failure = await transport.call('printers.list', {}).catch((e) => e);

    expect((failure as ControlError).code).toBe('unknown_method');
    expect((failure as ControlError).message).toContain('printers.list');
  });

  it('rejects a result that does not match the contract', async () => {
    const list = async () => [{ id: 'p1' }];
    const transport = new OwlBridgeTransport(bridgeWith({ 'printers.list': list }));

    const failure = await transport.call('printers.list', {}).catch((e) => e);

    expect((failure as ControlError).code).toBe('invalid_response');
  });

  it('opens an address through the shell', async () => {
    const bridge = new FakeDesktopBridge();
    const openWindow = vi.fn();
    const transport = new OwlBridgeTransport(bridge, openWindow);

    transport.openExternal('https://owl.example.com/link');
    await Promise.resolve();

    expect(bridge.callsOf('app.openExternal')).toEqual([{ url: 'https://owl.example.com/link' }]);
    expect(openWindow).not.toHaveBeenCalled();
  });
});
