import { randomUUID } from 'node:crypto';

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

import { type Clock, systemClock } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import { type Logger, silentLogger } from '../../support/logger.js';
import { DynsecChannel } from './dynsec-channel.js';
import {
  aclsForRules,
  DEFAULT_ACL_ACCESS,
  DYNSEC_ALREADY_EXISTS,
  DYNSEC_NOT_FOUND,
  type DynsecCommand,
  type DynsecResponse,
} from './dynsec-protocol.js';
import {
  deviceTopicRules,
  isValidDeviceId,
  operatorTopicRules,
  type TopicRules,
} from './owl-topic-rules.js';

export type { DynsecErrorCode } from './dynsec-channel.js';

const OPERATOR_ROLE = 'owl-operator';

export interface DynsecAuthorityOptions {
  /** Broker address, such as `mqtt://127.0.0.1:1883`. */
  url: string;
  /** A dynamic-security client with the admin role that `mosquitto_ctrl dynsec init` creates. */
  username: string;
  password: string;
  /** Time to wait for the plugin's response to one command batch; default 10 000 ms. */
  commandTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Creates the admin MQTT client; default `mqtt.connectAsync`. */
  connect?: (url: string, options: IClientOptions) => Promise<MqttClient>;
}

/**
 * Makes a mosquitto with the dynamic-security plugin act like the cloud's JWT-checking broker.
 * Each device gets a client named after its device id, bound to that client id, whose password is
 * its current JWT, and a role limited to its own topics. Operators may read every device topic and
 * send commands. Everything that no role allows is denied.
 */
export class DynsecAuthority {
  // NOTE: the plugin compares the token as a plain password, so it checks neither signature nor
  // expiry. An expired token keeps working until the next provisionDevice or revokeDevice.
  private constructor(
    private readonly channel: DynsecChannel,
    private readonly logger: Logger,
  ) {}

  /** Connects as the admin client and sets the deny-by-default ACL access. */
  static async connect(options: DynsecAuthorityOptions): Promise<DynsecAuthority> {
    const logger = (options.logger ?? silentLogger).child({ component: 'dynsec-authority' });
    const client = await connectAdmin(options);
    const channel = new DynsecChannel(
      client,
      options.clock ?? systemClock,
      logger,
      options.commandTimeoutMs ?? 10_000,
      `owl-${randomUUID().slice(0, 8)}`,
    );
    const authority = new DynsecAuthority(channel, logger);
    try {
      await channel.start();
      await authority.run([DEFAULT_ACL_ACCESS]);
    } catch (error) {
      await channel.close();
      throw error;
    }
    logger.info({ url: options.url }, 'dynamic-security authority connected');
    return authority;
  }

  /**
   * Creates or updates the device's client and role, with `token` as its password. Rotating the
   * token makes the old one fail with "not authorized".
   */
  async provisionDevice(deviceId: string, token: string): Promise<void> {
    // NOTE: mosquitto 2.0.11 disconnects a connected client (reason 0x98) when its password is
    // set, while a JWT-checking broker keeps the connection until the device reconnects itself.
    assertDeviceId(deviceId);
    assertSecret(token, 'token');
    const role = deviceRoleName(deviceId);
    await this.ensureRole(role, deviceTopicRules(deviceId));
    const outcome = await this.ensureClient(deviceId, token, role, deviceId);
    this.logger.info({ deviceId, outcome }, 'device provisioned');
  }

  /** Deletes the device's client, which also disconnects it, and its role. */
  async revokeDevice(deviceId: string): Promise<void> {
    assertDeviceId(deviceId);
    const responses = await this.channel.send([
      { command: 'deleteClient', username: deviceId },
      { command: 'deleteRole', rolename: deviceRoleName(deviceId) },
    ]);
    for (const response of responses) {
      if (response.error && !DYNSEC_NOT_FOUND.has(response.error)) throw commandFailed(response);
    }
    this.logger.info({ deviceId }, 'device revoked');
  }

  /** Creates or updates an operator that may read all device topics and send commands. */
  async provisionOperator(username: string, password: string): Promise<void> {
    assertSecret(username, 'username');
    assertSecret(password, 'password');
    await this.ensureRole(OPERATOR_ROLE, operatorTopicRules());
    const outcome = await this.ensureClient(username, password, OPERATOR_ROLE, undefined);
    this.logger.info({ username, outcome }, 'operator provisioned');
  }

  async close(): Promise<void> {
    await this.channel.close();
  }

  private async ensureRole(rolename: string, rules: TopicRules): Promise<void> {
    const acls = aclsForRules(rules);
    const [created] = await this.channel.send([{ command: 'createRole', rolename, acls }]);
    if (!created?.error) return;
    if (!DYNSEC_ALREADY_EXISTS.has(created.error)) throw commandFailed(created);
    await this.run([{ command: 'modifyRole', rolename, acls }]);
  }

  private async ensureClient(
    username: string,
    password: string,
    rolename: string,
    clientid: string | undefined,
  ): Promise<'created' | 'password-updated'> {
    const create: DynsecCommand = {
      command: 'createClient',
      username,
      password,
      roles: [{ rolename }],
      ...(clientid === undefined ? {} : { clientid }),
    };
    const [created] = await this.channel.send([create]);
    if (!created?.error) return 'created';
    if (!DYNSEC_ALREADY_EXISTS.has(created.error)) throw commandFailed(created);
    await this.run([{ command: 'setClientPassword', username, password }]);
    return 'password-updated';
  }

  /** Sends commands that must all succeed. */
  private async run(commands: readonly DynsecCommand[]): Promise<void> {
    for (const response of await this.channel.send(commands)) {
      if (response.error) throw commandFailed(response);
    }
  }
}

async function connectAdmin(options: DynsecAuthorityOptions): Promise<MqttClient> {
  const connect = options.connect ?? mqtt.connectAsync;
  try {
    return await connect(options.url, {
      protocolVersion: 5,
      clientId: `owl-dynsec-admin-${randomUUID().slice(0, 8)}`,
      username: options.username,
      password: options.password,
      clean: true,
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw new CodedError(
      'dynsec_connect_failed',
      `Connecting to ${options.url} as ${options.username} failed: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

function deviceRoleName(deviceId: string): string {
  return `owl-device-${deviceId}`;
}

function commandFailed(response: DynsecResponse): CodedError {
  return new CodedError(
    'dynsec_command_failed',
    `Dynamic-security command ${response.command} failed: ${response.error ?? 'unknown error'}`,
    { details: { command: response.command, error: response.error } },
  );
}

function assertDeviceId(deviceId: string): void {
  if (isValidDeviceId(deviceId)) return;
  throw new CodedError(
    'invalid_device_id',
    `Invalid device id "${deviceId}": use 1-128 characters without "/", "+", "#" or control characters`,
  );
}

function assertSecret(value: string, field: string): void {
  if (value.length > 0) return;
  throw new CodedError('invalid_credentials', `The ${field} must not be empty`);
}
