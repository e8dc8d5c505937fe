import { CONTROL_SOCKET_PATH } from '../../../shared/control-api/protocol.js';

/**
 * Asks the service whether it rejects `token`. A browser reports a rejected WebSocket upgrade
 * only as close code 1006. So after a failed connect the page sends the token in a plain GET to
 * the socket path, and the service returns 401 when the token is wrong. Returns false when the
 * service cannot be reached, because then the token is not the problem.
 */
export async function isTokenRejected(
  origin: string,
  token: string,
  fetchImpl: typeof fetch,
): Promise<boolean> {
  try {
    const response = await fetchImpl(new URL(CONTROL_SOCKET_PATH, origin).href, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    return response.status === 401;
  } catch {
    return false;
  }
}
