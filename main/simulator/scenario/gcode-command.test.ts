import { describe, expect, it } from 'vitest';
import { GcodeCommand } from './gcode-command.js';

function parse(line: string): GcodeCommand {
  const command = GcodeCommand.parse(line);
  if (!command) throw new Error(`no command in ${line}`);
  return command;
}

describe('GcodeCommand', () => {
  describe('parse', () => {
    it('ignores empty lines and comments', () => {
      expect(GcodeCommand.parse('   ')).toBeUndefined();
      expect(GcodeCommand.parse('; only a comment')).toBeUndefined();
    });

    it('reads letter parameters of traditional commands', () => {
      const command = parse('m106 s128 ; part fan');

      expect(command.command).toBe('M106');
      expect(command.getFloat('S')).toBe(128);
      expect(command.line).toBe('m106 s128');
    });

    it('reads extended NAME=value parameters', () => {
      const command = parse('RESPOND prefix=info MSG="hello owl"');

      expect(command.command).toBe('RESPOND');
      expect(command.get('MSG')).toBe('hello owl');
      expect(command.get('PREFIX')).toBe('info');
    });

    it('keeps the whole message of M117', () => {
      expect(parse('M117 Layer 3 of 10').rest).toBe('Layer 3 of 10');
    });

    it('rejects extended parameters without a value', () => {
      expect(() => parse('SET_PIN caselight')).toThrow("Malformed command 'SET_PIN caselight'");
    });
  });

  describe('getFloat', () => {
    it('returns the fallback for a missing parameter', () => {
      expect(parse('M106').getFloat('S', 255)).toBe(255);
    });

    it.each([
      ['M106 S300', { maxval: 255 }, "Error on 'M106 S300': S must have maximum of 255"],
      ['M106 S-1', { minval: 0 }, "Error on 'M106 S-1': S must have minimum of 0"],
      ['M106 S0', { above: 0 }, "Error on 'M106 S0': S must be above 0"],
      ['M106 S1', { below: 1 }, "Error on 'M106 S1': S must be below 1"],
    ])('rejects %s outside its limits', (line, limits, message) => {
      expect(() => parse(line).getFloat('S', undefined, limits)).toThrow(message);
    });

    it('rejects a missing required parameter', () => {
      expect(() => parse('SET_PIN PIN=caselight').getFloat('VALUE')).toThrow(
        "Error on 'SET_PIN PIN=caselight': missing VALUE",
      );
    });
  });
});
