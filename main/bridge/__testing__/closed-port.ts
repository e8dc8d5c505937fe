import { createServer } from 'node:net';

/**
 * Returns a loopback port that nothing listens on: the system hands out a free port, and the
 * listener is closed again at once, so connecting to it is refused.
 */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) {
    throw new Error('The loopback listener reported no port');
  }
  return address.port;
}
