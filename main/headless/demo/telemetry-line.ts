/**
 * Turns a message seen at the local cloud into one short line for the demo's terminal, such as
 * `printer-1  status   Printing 42% cube.gcode`. Returns null for messages not worth a line.
 */
export function describeCloudMessage(
  printerName: string,
  channel: string,
  body: Record<string, unknown>,
): string | null {
  const payload = (body['payload'] ?? {}) as Record<string, unknown>;
  const label = `${printerName.padEnd(12)} ${channel.padEnd(8)}`;
  switch (channel) {
    case 'status':
      return `${label} ${describeStatus(payload)}`;
    case 'sensors':
      return `${label} ${describeSensors(payload)}`;
    case 'events':
      return `${label} ${describeEvents(payload)}`;
    default:
      return channel.startsWith('acks') ? `${label} ${describeAck(payload)}` : null;
  }
}

function describeStatus(payload: Record<string, unknown>): string {
  const lifecycle = (payload['lifecycle'] ?? {}) as Record<string, unknown>;
  const job = payload['job'] as Record<string, unknown> | undefined;
  const parts = [String(lifecycle['phase'] ?? '?')];
  if (job?.['progressPercent'] !== undefined) parts.push(`${String(job['progressPercent'])}%`);
  if (typeof job?.['name'] === 'string') parts.push(job['name']);
  if (typeof lifecycle['reason'] === 'string') parts.push(`(${lifecycle['reason']})`);
  return parts.join(' ');
}

function describeSensors(payload: Record<string, unknown>): string {
  const sensors = (payload['sensors'] ?? []) as Record<string, unknown>[];
  return sensors
    .map((sensor) => {
      const unit = sensor['unit'] === 'celsius' ? '°C' : '%';
      const target = sensor['target'] === undefined ? '' : `/${String(sensor['target'])}`;
      return `${String(sensor['channel'])} ${String(sensor['value'])}${target}${unit}`;
    })
    .join('  ');
}

function describeEvents(payload: Record<string, unknown>): string {
  const items = (payload['items'] ?? []) as Record<string, unknown>[];
  return items
    .map((item) => {
      const data = (item['data'] ?? {}) as Record<string, unknown>;
      if (item['eventName'] === 'system:command-state') {
        return `command ${String(data['commandType'])} ${String(data['state'])}`;
      }
      return String(item['message'] ?? item['eventName']);
    })
    .join('; ');
}

function describeAck(payload: Record<string, unknown>): string {
  const reason = payload['reason'] as Record<string, unknown> | undefined;
  const suffix = reason?.['code'] ? ` ${String(reason['code'])}` : '';
  return `${String(payload['commandId'])} ${String(payload['status'])}${suffix}`;
}
