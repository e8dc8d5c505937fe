import type { FleetService } from '../service/fleet-service.js';
import type { Logger } from '../support/logger.js';
import type { FleetSnapshot } from './logic/fleet-snapshot.js';

/** What the registered features share once the service is open. */
export interface AppContext {
  service: FleetService;
  snapshot: FleetSnapshot;
  logger: Logger;
  /** Folder of the built renderer (index.html and assets). */
  rendererRoot: string;
  /** Folder of the icons. */
  resourcesRoot: string;
  /** Set once the user chose Quit, so closing the window no longer only hides it. */
  quitting: { value: boolean };
}
