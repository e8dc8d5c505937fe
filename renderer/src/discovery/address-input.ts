/** The reason a pasted address cannot be added, with the values its message names. */
export type AddressProblem =
  | { kind: 'scheme'; scheme: string }
  | { kind: 'path' }
  | { kind: 'credentials' }
  | { kind: 'invalidPort'; address: string }
  | { kind: 'portConflict'; urlPort: number; fieldPort: number };

/** The host field and the port field after a pasted URL was split into them. */
export interface AddressFieldValues {
  host: string;
  port: string;
}

export type AddressParse =
  { ok: true; fields: AddressFieldValues } | { ok: false; problem: AddressProblem };

/** The scheme of a pasted URL such as `http://`, captured without `://`. */
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const BRACKETED = /^(\[[^\]]*\])(?::(\d*))?$/;
const NAME_WITH_PORT = /^([^:]*):(\d*)$/;

/**
 * Splits a pasted http:// or https:// address such as `http://192.168.1.20:7125/` into the host
 * and port fields. A trailing slash and a fragment such as Mainsail's `#/` are ignored, because
 * they never reach Moonraker. Other text is returned unchanged, for the service to check as a
 * host. A URL without a port keeps the port field, where empty means Moonraker's 7125.
 */
// NOTE: an https:// address gives only its host and port. `printers.add` connects over http://,
// so a Moonraker behind TLS needs its https URL set in the printer's settings after adding.
export function splitAddress(host: string, port: string): AddressParse {
  const text = host.trim();
  const scheme = URL_SCHEME.exec(text)?.[1];
  if (scheme === undefined) return { ok: true, fields: { host: text, port } };
  if (!/^https?$/i.test(scheme)) return { ok: false, problem: { kind: 'scheme', scheme } };

  const rest = text.slice(scheme.length + '://'.length).replace(/#.*$/, '');
  const end = rest.search(/[/?]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  if (end !== -1 && rest.slice(end) !== '/') return { ok: false, problem: { kind: 'path' } };
  if (authority.includes('@')) return { ok: false, problem: { kind: 'credentials' } };

  const parts = BRACKETED.exec(authority) ?? NAME_WITH_PORT.exec(authority);
  const hostPart = parts?.[1] ?? authority;
  const portText = parts?.[2];
  if (portText === undefined || portText === '') {
    return { ok: true, fields: { host: hostPart, port } };
  }
  const urlPort = Number(portText);
  if (!Number.isInteger(urlPort) || urlPort < 1 || urlPort > 65_535) {
    return { ok: false, problem: { kind: 'invalidPort', address: text } };
  }
  const fieldPort = port.trim();
  if (fieldPort !== '' && Number(fieldPort) !== urlPort) {
    return { ok: false, problem: { kind: 'portConflict', urlPort, fieldPort: Number(fieldPort) } };
  }
  return { ok: true, fields: { host: hostPart, port: String(urlPort) } };
}
