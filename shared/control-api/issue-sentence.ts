import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * Phrases a zod issue as what the value must be, such as `must be a number, not a string` or
 * `must not be empty`, without the field name. A message that a schema wrote itself is kept.
 */
export function issueRequirement(issue: Issue): string {
  if (isCustomMessage(issue)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return typeRequirement(issue);
    case 'too_small':
      return sizeRequirement(issue, 'at least', 'greater than');
    case 'too_big':
      return sizeRequirement(issue, 'at most', 'less than');
    case 'invalid_value':
      return `must be ${oneOf(issue.values)}`;
    case 'invalid_format':
      return formatRequirement(issue);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'is not a known field';
    case 'invalid_union':
      return unionRequirement(issue);
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an entry that is not allowed';
    case 'custom':
      return issue.message;
  }
}

/**
 * Zod's English default messages start like this. Any other message was given by the schema,
 * such as the `must be a host name …` of a regex, and already reads as a requirement.
 */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

function isCustomMessage(issue: Issue): boolean {
  return issue.code !== 'custom' && !DEFAULT_MESSAGE.test(issue.message);
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  null: 'null',
  undefined: 'left out',
  record: 'an object',
  map: 'a map',
  set: 'a set',
  tuple: 'a list',
  nan: 'NaN',
  never: 'left out',
};

function typeRequirement(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  const received = receivedType(issue);
  if (received === 'undefined') return 'is required';
  const expected = EXPECTED_NAMES[issue.expected] ?? `of type ${issue.expected}`;
  if (issue.expected === 'never' || issue.expected === 'undefined') return 'must be left out';
  // A fraction fails `int` as a number, so naming its type would add nothing.
  const fraction = issue.expected === 'int' && received === 'number';
  const got = received === undefined || fraction ? '' : `, not ${describeType(received)}`;
  return `must be ${expected}${got}`;
}

/**
 * Returns the type of the rejected value: from `input` when the parse kept it (`reportInput`),
 * else from the `received …` of zod's default message, which zod builds from the input.
 */
function receivedType(issue: Issue): string | undefined {
  if ('input' in issue) return typeOfValue(issue.input);
  return /received (\w+)/.exec(issue.message)?.[1];
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

const RECEIVED_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  nan: 'NaN',
  bigint: 'a big integer',
  function: 'a function',
  symbol: 'a symbol',
};

function describeType(type: string): string {
  return RECEIVED_NAMES[type] ?? type;
}

function sizeRequirement(
  issue: Extract<Issue, { code: 'too_small' | 'too_big' }>,
  inclusiveWord: string,
  exclusiveWord: string,
): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const unit = sizeUnit(issue.origin, limit);
  if (issue.code === 'too_small' && Number(limit) === 1 && unit !== '') return 'must not be empty';
  if (issue.exact) return unit ? `must have exactly ${limit} ${unit}` : `must be exactly ${limit}`;
  if (unit) return `must have ${inclusiveWord} ${limit} ${unit}`;
  const comparison = issue.inclusive === false ? exclusiveWord : inclusiveWord;
  return `must be ${comparison} ${limit}`;
}

function sizeUnit(origin: string, limit: number | bigint): string {
  const one = Number(limit) === 1;
  switch (origin) {
    case 'string':
      return one ? 'character' : 'characters';
    case 'array':
    case 'set':
      return one ? 'entry' : 'entries';
    case 'file':
      return 'bytes';
    default:
      return '';
  }
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  url: 'a valid URL',
  email: 'a valid email address',
  uuid: 'a UUID',
  guid: 'a GUID',
  datetime: 'an ISO 8601 date and time',
  date: 'an ISO 8601 date',
  time: 'an ISO 8601 time',
  duration: 'an ISO 8601 duration',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidrv4: 'an IPv4 network such as 192.168.1.0/24',
  cidrv6: 'an IPv6 network',
  base64: 'base64 text',
  base64url: 'base64url text',
  jwt: 'a JWT',
};

function formatRequirement(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  const details = issue as { prefix?: string; suffix?: string; includes?: string };
  switch (issue.format) {
    case 'regex':
      return `must match the pattern ${issue.pattern ?? ''}`.trimEnd();
    case 'starts_with':
      return `must start with ${JSON.stringify(details.prefix ?? '')}`;
    case 'ends_with':
      return `must end with ${JSON.stringify(details.suffix ?? '')}`;
    case 'includes':
      return `must contain ${JSON.stringify(details.includes ?? '')}`;
    case 'lowercase':
      return 'must be in lowercase';
    case 'uppercase':
      return 'must be in uppercase';
    default:
      return `must be ${FORMAT_NAMES[issue.format] ?? `a valid ${issue.format}`}`;
  }
}

function unionRequirement(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  if ('options' in issue && issue.options && issue.options.length > 0) {
    return `must be ${oneOf(issue.options)}`;
  }
  const expected = issue.errors
    .map((branch) => branch[0])
    .filter((first) => first?.code === 'invalid_type' && first.path.length === 0)
    .map((first) => EXPECTED_NAMES[(first as { expected: string }).expected]);
  if (expected.length === issue.errors.length && expected.every(Boolean)) {
    return `must be ${[...new Set(expected)].join(' or ')}`;
  }
  return 'does not match any of the accepted forms';
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => JSON.stringify(value) ?? String(value));
  if (shown.length === 1) return shown[0] ?? '';
  return `one of ${shown.join(', ')}`;
}
