import { systemClock } from '../support/clock.js';
import type { Clock } from '../support/clock.js';
import { DisposableStore } from '../support/disposable.js';
import { silentLogger } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import { DynsecAuthority } from './broker/dynsec-authority.js';
import { EmbeddedBroker } from './broker/embedded-broker.js';
import { isOwlPublishAllowed, isOwlSubscribeAllowed } from './broker/owl-topic-rules.js';
import type { OwlPrincipal } from './broker/owl-topic-rules.js';
import { CloudHttpServer } from './cloud-http-server.js';
import { OperatorClient } from './operator-client.js';

/** How the local cloud reaches its MQTT broker. */
export type LocalBrokerChoice =
  /** An in-process MQTT 5 broker that checks every device's JWT and topic permissions. */
  | { kind: 'embedded'; port?: number }
  /** An external broker used as it is, with no checks by the local cloud. */
  | { kind: 'external'; url: string }
  /** An external mosquitto whose dynamic-security plugin the local cloud provisions per token. */
  | { kind: 'mosquitto-dynsec'; url: string; adminUsername: string; adminPassword: string };

export interface LocalCloudOptions {
  broker?: LocalBrokerChoice;
  host?: string;
  httpPort?: number;
  tokenLifetimeSeconds?: number;
  /** Bound of a broker's provisioning of one token before the token request fails; 15 s. */
  provisionTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** Where the running local cloud can be reached, and the operator's logins. */
export interface LocalCloudEndpoints {
  httpUrl: string;
  mqttUrl: string;
  operatorToken: string;
  operatorMqtt: { username: string; password: string };
}

/**
 * A stand-in for Owl Cloud on this machine: the link and token endpoints, an operator API that
 * mints link codes, and an MQTT broker that accepts a device only with a valid token and keeps it
 * to its own topics. The demo mode and the integration tests run against it.
 */
export class LocalCloud {
  private readonly disposables = new DisposableStore();
  private broker: EmbeddedBroker<OwlPrincipal> | undefined;

  private constructor(
    readonly http: CloudHttpServer,
    readonly endpoints: LocalCloudEndpoints,
  ) {}

  static async start(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    const http = new CloudHttpServer({
      clock,
      logger,
      ...(options.host ? { host: options.host } : {}),
      ...(options.httpPort === undefined ? {} : { port: options.httpPort }),
      ...(options.tokenLifetimeSeconds
        ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds }
        : {}),
      ...(options.provisionTimeoutMs ? { provisionTimeoutMs: options.provisionTimeoutMs } : {}),
    });
    const httpUrl = await http.start();
    const operatorMqtt = http.authority.operatorCredentials();
    const choice = options.broker ?? { kind: 'embedded' };

    const endpoints = { httpUrl, mqttUrl: '', operatorToken: http.operatorToken, operatorMqtt };
    const cloud = new LocalCloud(http, endpoints);
    try {
      endpoints.mqttUrl = await cloud.startBroker(choice, clock, logger, options.host);
    } catch (error) {
      await cloud.close();
      throw error;
    }
    return cloud;
  }

  get embeddedBroker(): EmbeddedBroker<OwlPrincipal> | undefined {
    return this.broker;
  }

  operator(): OperatorClient {
    return new OperatorClient({
      baseUrl: this.endpoints.httpUrl,
      operatorToken: this.endpoints.operatorToken,
    });
  }

  async close(): Promise<void> {
    this.disposables.dispose();
    await this.broker?.close();
    await this.http.close();
  }

  private async startBroker(
    choice: LocalBrokerChoice,
    clock: Clock,
    logger: Logger,
    host: string | undefined,
  ): Promise<string> {
    switch (choice.kind) {
      case 'embedded':
        return this.startEmbeddedBroker(choice.port, clock, logger, host);
      case 'external':
        return choice.url;
      case 'mosquitto-dynsec':
        await this.provisionMosquitto(choice, clock, logger);
        return choice.url;
    }
  }

  private async startEmbeddedBroker(
    port: number | undefined,
    clock: Clock,
    logger: Logger,
    host: string | undefined,
  ): Promise<string> {
    const authority = this.http.authority;
    this.broker = new EmbeddedBroker<OwlPrincipal>({
      ...(host ? { host } : {}),
      ...(port === undefined ? {} : { port }),
      clock,
      logger,
      authenticate: async ({ username, password }) => {
        const login = await authority.verifyMqttLogin(username, password);
        if (!login) return { ok: false, reasonCode: 134 };
        const principal: OwlPrincipal =
          login.role === 'operator'
            ? { kind: 'operator', username: username ?? '' }
            : { kind: 'device', deviceId: login.deviceId };
        return { ok: true, principal };
      },
      authorizePublish: isOwlPublishAllowed,
      authorizeSubscribe: isOwlSubscribeAllowed,
    });
    const { url } = await this.broker.listen();
    return url;
  }

  private async provisionMosquitto(
    choice: Extract<LocalBrokerChoice, { kind: 'mosquitto-dynsec' }>,
    clock: Clock,
    logger: Logger,
  ): Promise<void> {
    const dynsec = await DynsecAuthority.connect({
      url: choice.url,
      username: choice.adminUsername,
      password: choice.adminPassword,
      clock,
      logger,
    });
    this.disposables.add({ dispose: () => void dynsec.close() });
    const operator = this.endpoints.operatorMqtt;
    await dynsec.provisionOperator(operator.username, operator.password);
    // Each token response waits for this, so a device never connects before mosquitto has stored its password.
    this.disposables.add(
      this.http.authority.addProvisioner(({ deviceId, token }) =>
        dynsec.provisionDevice(deviceId, token),
      ),
    );
  }
}
