/** MQTT topic names of the Owl Cloud device contract. Every topic string is built here. */

export const TOPIC_ROOT = 'owl/printers';
export const CONFIG_BROADCAST_TOPIC = 'owl/broadcasts/config-update';

export type TelemetryChannel = 'status' | 'sensors' | 'events' | 'objects' | 'health';

export function deviceTopicPrefix(deviceId: string): string {
  return `${TOPIC_ROOT}/${deviceId}`;
}

export function channelTopic(deviceId: string, channel: TelemetryChannel): string {
  return `${deviceTopicPrefix(deviceId)}/${channel}`;
}

export function disconnectEventTopic(deviceId: string): string {
  return `${deviceTopicPrefix(deviceId)}/events/disconnect`;
}

export function commandSubscription(deviceId: string): string {
  return `${deviceTopicPrefix(deviceId)}/commands/#`;
}

export function commandTopic(deviceId: string, commandName: string): string {
  return `${deviceTopicPrefix(deviceId)}/commands/${commandName}`;
}

export function configNotifyTopic(deviceId: string): string {
  return `${deviceTopicPrefix(deviceId)}/config/notify`;
}

/**
 * Percent-encodes every character outside the RFC 3986 unreserved set, so `print:pause` becomes
 * `print%3Apause`. `encodeURIComponent` alone leaves `!'()*` as they are, which the cloud does not.
 */
export function encodeTopicSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function ackTopic(deviceId: string, topicCommandName: string): string {
  return `${deviceTopicPrefix(deviceId)}/acks/${encodeTopicSegment(topicCommandName)}`;
}

/**
 * Returns the command name of an inbound command topic, or null when the topic is not exactly
 * `owl/printers/{deviceId}/commands/{name}`. The fixed words compare case-insensitively and the
 * device id exactly, as the cloud publishes them.
 */
export function parseCommandTopic(topic: string, deviceId: string): string | null {
  const segments = topic.split('/');
  if (segments.length !== 5) return null;

  const [owl, printers, device, commands, name] = segments;
  if (owl?.toLowerCase() !== 'owl' || printers?.toLowerCase() !== 'printers') return null;
  if (commands?.toLowerCase() !== 'commands' || device !== deviceId) return null;
  if (!name) return null;
  return name;
}

/** Command names as the cloud's naming rule allows them. */
export const COMMAND_NAME_PATTERN = /^[a-z0-9._:-]{2,64}$/;
