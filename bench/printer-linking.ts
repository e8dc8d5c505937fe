import { credentialsFromLink } from '../shared/contract/device-http.js';
import { LinkClient } from '../main/cloud/link-client.js';
import type { BridgeTarget } from '../main/headless/bridge-group.js';
import { OperatorClient } from '../main/local-cloud/operator-client.js';
import { systemClock } from '../main/support/clock.js';
import { silentLogger } from '../main/support/logger.js';
import type { CloudHostStarted } from './host-protocols.js';

/**
 * Links one device per simulated printer as a user would: a link code minted by the local cloud's
 * operator API, redeemed through the device link endpoint. Returns the bridge targets in the order
 * of `moonrakerUrls`.
 */
export async function linkPrinters(
  cloud: CloudHostStarted,
  moonrakerUrls: readonly string[],
): Promise<BridgeTarget[]> {
  const operator = new OperatorClient({
    baseUrl: cloud.httpUrl,
    operatorToken: cloud.operatorToken,
  });
  const linker = new LinkClient({
    baseUrl: cloud.httpUrl,
    clock: systemClock,
    logger: silentLogger,
  });
  const targets: BridgeTarget[] = [];
  for (const [index, moonrakerUrl] of moonrakerUrls.entries()) {
    const { code } = await operator.mintLinkCode();
    const linked = await linker.link(code);
    const credentials = credentialsFromLink(linked);
    targets.push({ name: `printer-${index + 1}`, moonrakerUrl, credentials });
  }
  return targets;
}
