import { completeClickToLink } from '../service/click-to-link-report.js';
import type { FleetService } from '../service/fleet-service.js';
import {
  ControlServer,
  type ControlServerEndpoint,
  type ControlServerOptions,
} from './control-server/control-server.js';
import { LINK_CALLBACK_PATH, linkCallbackRoute } from './link-callback-page.js';

export type ServeFleetOptions = Omit<ControlServerOptions, 'routes'>;

export interface ServedFleet {
  server: ControlServer;
  endpoint: ControlServerEndpoint;
}

/**
 * Puts a fleet service behind a loopback control server with the click-to-link callback route,
 * then starts the service. The caller closes the server before it stops the service.
 */
export async function serveFleetService(
  service: FleetService,
  options: ServeFleetOptions,
): Promise<ServedFleet> {
  const routes: Record<string, ReturnType<typeof linkCallbackRoute>> = {};
  const server = new ControlServer({ ...options, routes });
  const endpoint = await server.start();
  service.addRedactedValue(endpoint.token);
  // The route needs the origin, which exists only once the server listens.
  routes[LINK_CALLBACK_PATH] = linkCallbackRoute(
    (callbackUrl) => completeClickToLink(service, callbackUrl),
    endpoint.origin,
    options.logger,
  );
  service.setLinkCallback(`${endpoint.origin}${LINK_CALLBACK_PATH}`);
  service.onEvent((event, data) => server.publish(event, data));
  try {
    await service.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  return { server, endpoint };
}
