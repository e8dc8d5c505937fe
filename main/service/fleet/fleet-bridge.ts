import type { DeviceCredentials } from '../../../shared/contract/device-http.js';
import type { PrinterBridgeOptions } from '../../bridge/bridge-options.js';
import { PrinterBridge } from '../../bridge/printer-bridge.js';

/** The part of a bridge that the fleet uses. `PrinterBridge` is the real one, and tests pass fakes. */
export type FleetBridge = Pick<
  PrinterBridge,
  | 'state'
  | 'start'
  | 'stop'
  | 'snapshot'
  | 'recentEvents'
  | 'commandHistory'
  | 'setTelemetryRate'
  | 'onChange'
  | 'onFault'
>;

/** Creates one bridge. A bridge is used once: a restart creates a new one. */
export type BridgeFactory = (options: PrinterBridgeOptions) => FleetBridge;

export const createPrinterBridge: BridgeFactory = (options) => new PrinterBridge(options);

/** One printer of the fleet as the settings describe it. */
export interface FleetPrinter {
  /** Local id of the printer in the settings, the key of every fleet method. */
  id: string;
  name: string;
  moonrakerUrl: string;
  enabled: boolean;
  apiKey?: string;
  /** The device the printer was linked as; a bridge runs only once it is set. */
  credentials?: DeviceCredentials;
}
