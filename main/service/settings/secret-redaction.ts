/**
 * Removal of secrets from data that leaves the machine, such as a diagnostics bundle. Values are
 * redacted by the name of their field (password, token, API key, private key and similar), by
 * their shape (JWTs, PEM private keys, `Bearer` credentials, passwords in URLs, long base64 next
 * to a key name), and by exact match against secret values that the caller passes in.
 */

export const REDACTED = '[redacted]';

/** Field names whose string values are always secret. */
const SECRET_NAME =
  /passw(?:or)?d|passphrase|^pass$|^auth$|secret|token|api[-_]?key|private[-_]?key|authori[sz]ation|credential|link[-_]?code|signature|jwt|cookie|bearer/i;

/** Field names ending in "key", whose values are secret when they look like key material. */
const KEY_NAME = /key$/i;

/** Base64, base64url or hex of 32 bytes or more, alone in the value. */
const KEY_MATERIAL = /^[A-Za-z0-9+/_-]{32,}={0,2}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Patterns replaced inside any text, each with its replacement. */
const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    REDACTED,
  ],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.?[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`],
  [
    /\b([A-Za-z_-]*(?:password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|signature|link[_-]?code)[A-Za-z_-]*)(["']?\s*[:=]\s*["']?)([^\s"'&#,;}]+)/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b([A-Za-z_-]*key)(["']?\s*[:=]\s*["']?)([A-Za-z0-9+/_-]{32,}={0,2})/gi, `$1$2${REDACTED}`],
  // The link code and the one-time state of a click-to-link callback, in any query parameter.
  [/([?&#](?:code|state)=)[^&#\s"']+/gi, `$1${REDACTED}`],
];

/** Secret values shorter than this are not matched inside text, because they would hit words. */
const MIN_KNOWN_SECRET_LENGTH = 6;

export interface Redactor {
  /** Returns a copy of a JSON-like value with every secret replaced by `[redacted]`. */
  value(value: unknown): unknown;
  /** Returns the text with every secret replaced by `[redacted]`. */
  text(text: string): string;
}

/**
 * Creates a redactor that also removes each of `knownSecrets` wherever it occurs, as it is and
 * URL-encoded.
 */
export function createRedactor(knownSecrets: readonly string[] = []): Redactor {
  const trimmed = knownSecrets.map((secret) => secret.trim());
  // A secret inside a URL may be percent-encoded, so its encoded form is removed too.
  const secrets = [...new Set([...trimmed, ...trimmed.map(encodeURIComponent)])]
    .filter((secret) => secret.length >= MIN_KNOWN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);

  const text = (input: string): string => {
    let output = input;
    for (const secret of secrets) output = output.split(secret).join(REDACTED);
    for (const [pattern, replacement] of TEXT_PATTERNS) {
      output = output.replace(pattern, replacement);
    }
    return output;
  };

  const value = (input: unknown, name?: string): unknown => {
    if (typeof input === 'string') return redactString(input, name, text);
    if (Array.isArray(input)) return input.map((item) => value(item, name));
    if (typeof input !== 'object' || input === null) return input;
    return Object.fromEntries(Object.entries(input).map(([key, item]) => [key, value(item, key)]));
  };

  return { value: (input) => value(input), text };
}

function redactString(
  input: string,
  name: string | undefined,
  text: (input: string) => string,
): string {
  if (name !== undefined && input !== '' && isSecretField(name, input)) return REDACTED;
  return text(input);
}

function isSecretField(name: string, value: string): boolean {
  if (SECRET_NAME.test(name)) return true;
  return KEY_NAME.test(name) && KEY_MATERIAL.test(value) && !UUID.test(value);
}

/**
 * Redacts log lines. A line that is a JSON object, as pino writes them, is redacted field by
 * field and written back as JSON; any other line is redacted as text.
 */
export function redactLogLine(line: string, redactor: Redactor): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return redactor.text(line);
  try {
    return JSON.stringify(redactor.value(JSON.parse(trimmed)));
  } catch {
    return redactor.text(line);
  }
}
