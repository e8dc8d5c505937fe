import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { ListenerSet, logListenerErrors } from '../support/listener-set.js';
import type { Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import { silentLogger, type Logger } from '../support/logger.js';
import { BrokerProvisioning, type BrokerProvisioner } from './broker-provisioning.js';
import type { DeviceRegistry } from './device-registry.js';

export const TOKEN_ISSUER = 'owl-local-cloud';
export const TOKEN_AUDIENCE = 'mqtt';
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
export const OPERATOR_USERNAME = 'operator';

const ALGORITHM = 'HS256';

export interface IssuedDeviceToken {
  accessToken: string;
  /** Epoch milliseconds, whole seconds like the JWT `iat`. */
  issuedAtMs: number;
  expiresInSeconds: number;
}

/** Payload of `onTokenIssued`, for a broker that keeps its own password per client. */
export interface DeviceTokenIssued {
  deviceId: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface VerifiedDeviceToken {
  deviceId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Outcome of a successful MQTT login. The operator's `deviceId` is `operator`. */
export interface MqttLogin {
  role: 'device' | 'operator';
  deviceId: string;
}

export interface OperatorCredentials {
  username: string;
  password: string;
}

export interface TokenAuthorityOptions {
  registry: DeviceRegistry;
  clock: Clock;
  logger?: Logger;
  lifetimeSeconds?: number;
  /** HS256 key. Without one, each process draws a random key, so tokens do not survive a restart. */
  secret?: Uint8Array;
  operatorPassword?: string;
  /** Bound of the broker provisioning of one token; 15 000 ms by default. */
  provisionTimeoutMs?: number;
}

/**
 * Issues and verifies the device JWTs of the local cloud: HS256, `sub` = device id, issuer
 * `owl-local-cloud`, audience `mqtt`, with `iat`, `exp` and a random `jti`. The embedded broker
 * checks MQTT logins here, including the operator login (username `operator`, random password).
 */
export class TokenAuthority {
  readonly lifetimeSeconds: number;
  private readonly registry: DeviceRegistry;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly secret: Uint8Array;
  private readonly operatorPassword: string;
  private readonly issued: ListenerSet<[DeviceTokenIssued]>;
  private readonly provisioning: BrokerProvisioning;

  constructor(options: TokenAuthorityOptions) {
    this.registry = options.registry;
    this.clock = options.clock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'token-authority' });
    this.lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    this.secret = options.secret ?? randomBytes(32);
    this.operatorPassword = options.operatorPassword ?? randomBytes(18).toString('base64url');
    this.issued = new ListenerSet(logListenerErrors(this.logger, 'token issued'));
    this.provisioning = new BrokerProvisioning(
      options.clock,
      this.logger,
      options.provisionTimeoutMs,
    );
  }

  /**
   * Signs a token for an active device and resolves once every broker provisioner has put it in
   * place, so the device's first connect with it is accepted. Throws `device_unknown` for an
   * unknown or revoked device, and `provisioning_failed` or `provisioning_timeout` when a broker
   * did not take the token.
   */
  async issue(deviceId: string): Promise<IssuedDeviceToken> {
    if (!this.registry.active(deviceId)) {
      throw new CodedError('device_unknown', `Device ${deviceId} is unknown or revoked`);
    }
    const issuedAtSeconds = Math.floor(this.clock.now() / 1000);
    const expiresAtSeconds = issuedAtSeconds + this.lifetimeSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(deviceId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(expiresAtSeconds)
      .setJti(randomUUID())
      .sign(this.secret);

    await this.provisioning.run(deviceId, token);
    const expiresAt = expiresAtSeconds * 1000;
    this.logger.debug({ deviceId, expiresAt: new Date(expiresAt).toISOString() }, 'token issued');
    this.issued.emit({ deviceId, token, expiresAt });
    return {
      accessToken: token,
      issuedAtMs: issuedAtSeconds * 1000,
      expiresInSeconds: this.lifetimeSeconds,
    };
  }

  /**
   * Returns the device of a token with a valid signature, issuer and audience that has not
   * expired and whose device is not revoked, else null.
   */
  async verify(token: string): Promise<VerifiedDeviceToken | null> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
    const deviceId = payload.sub;
    if (deviceId === undefined || payload.exp === undefined) return null;
    if (!this.registry.active(deviceId)) return null;
    return { deviceId, expiresAt: payload.exp * 1000 };
  }

  /** Checks an MQTT CONNECT: a device logs in with its id as username and its JWT as password. */
  async verifyMqttLogin(
    username: string | undefined,
    password: string | Uint8Array | undefined,
  ): Promise<MqttLogin | null> {
    if (username === undefined || password === undefined) return null;
    const passwordText =
      typeof password === 'string' ? password : Buffer.from(password).toString('utf8');

    if (username === OPERATOR_USERNAME) {
      if (!equalSecrets(passwordText, this.operatorPassword)) return null;
      return { role: 'operator', deviceId: OPERATOR_USERNAME };
    }
    const verified = await this.verify(passwordText);
    if (!verified || verified.deviceId !== username) return null;
    return { role: 'device', deviceId: verified.deviceId };
  }

  operatorCredentials(): OperatorCredentials {
    return { username: OPERATOR_USERNAME, password: this.operatorPassword };
  }

  /** Calls `listener` after each token was signed and provisioned, before it is returned. */
  onTokenIssued(listener: (issued: DeviceTokenIssued) => void): Disposable {
    return this.issued.add(listener);
  }

  /**
   * Adds a broker that must store each token before the device may use it. `issue` waits for
   * every provisioner, within the provisioning bound.
   */
  addProvisioner(provisioner: BrokerProvisioner): Disposable {
    return this.provisioning.add(provisioner);
  }
}

/** Compares in constant time. Hashing both sides first gives them the same length. */
export function equalSecrets(actual: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(actual), digest(expected));
}
