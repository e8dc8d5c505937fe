import { gcodeError } from '../api-error.js';

/** Limits a numeric G-code parameter must meet, with Klipper's names. */
export interface NumberLimits {
  readonly minval?: number;
  readonly maxval?: number;
  readonly above?: number;
  readonly below?: number;
}

/** Commands whose whole remaining line is one message, not parameters. */
const MESSAGE_COMMANDS = new Set(['M117', 'M118']);

/**
 * One parsed line of G-code. Traditional commands (`M106 S128`) take a letter and a value per
 * word; extended commands (`SET_PIN PIN=caselight VALUE=1`) take `NAME=value` pairs. Parameter
 * errors use Klipper's wording, e.g. `Error on 'M106 S-1': S must have minimum of 0`.
 */
export class GcodeCommand {
  private constructor(
    readonly command: string,
    readonly line: string,
    /** The text after the command word, for message commands. */
    readonly rest: string,
    private readonly params: ReadonlyMap<string, string>,
  ) {}

  /** Parses one line; returns undefined for an empty line or a comment. */
  static parse(text: string): GcodeCommand | undefined {
    const line = text.split(';')[0]?.trim() ?? '';
    if (line === '') return undefined;
    const [word = '', ...words] = line.split(/\s+/);
    const command = word.toUpperCase();
    const rest = line.slice(word.length).trim();
    if (MESSAGE_COMMANDS.has(command)) return new GcodeCommand(command, line, rest, new Map());
    const params = isTraditional(command) ? traditionalParams(words) : extendedParams(rest, line);
    return new GcodeCommand(command, line, rest, params);
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  get(name: string, fallback?: string): string {
    const value = this.params.get(name);
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    throw gcodeError(`Error on '${this.line}': missing ${name}`);
  }

  getFloat(name: string, fallback?: number, limits: NumberLimits = {}): number {
    const text = this.params.get(name);
    if (text === undefined && fallback !== undefined) return fallback;
    const value = Number(this.get(name));
    if (!Number.isFinite(value) || text?.trim() === '') {
      throw gcodeError(`Error on '${this.line}': unable to parse ${text ?? ''}`);
    }
    this.checkLimits(name, value, limits);
    return value;
  }

  getInt(name: string, fallback?: number, limits: NumberLimits = {}): number {
    const value = this.getFloat(name, fallback, limits);
    if (!Number.isInteger(value)) {
      throw gcodeError(`Error on '${this.line}': unable to parse ${this.params.get(name) ?? ''}`);
    }
    return value;
  }

  private checkLimits(name: string, value: number, limits: NumberLimits): void {
    const fail = (rule: string): never => {
      throw gcodeError(`Error on '${this.line}': ${name} ${rule}`);
    };
    if (limits.minval !== undefined && value < limits.minval)
      fail(`must have minimum of ${limits.minval}`);
    if (limits.maxval !== undefined && value > limits.maxval)
      fail(`must have maximum of ${limits.maxval}`);
    if (limits.above !== undefined && value <= limits.above) fail(`must be above ${limits.above}`);
    if (limits.below !== undefined && value >= limits.below) fail(`must be below ${limits.below}`);
  }
}

function isTraditional(command: string): boolean {
  return /^[A-Z]\d+(\.\d+)?$/.test(command);
}

function traditionalParams(words: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const word of words) {
    params.set(word.charAt(0).toUpperCase(), word.slice(1));
  }
  return params;
}

/** Reads `NAME=value` pairs, where a value may be in double quotes and contain spaces. */
function extendedParams(rest: string, line: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /([^\s=]+)=("([^"]*)"|\S*)/g;
  let consumed = '';
  for (const match of rest.matchAll(pattern)) {
    const [whole, key = '', bare = '', quoted] = match;
    params.set(key.toUpperCase(), quoted ?? bare);
    consumed += whole;
  }
  if (consumed.length === 0 && rest.length > 0) throw gcodeError(`Malformed command '${line}'`);
  return params;
}
