import { describe, expect, it } from 'vitest';

import { serveCommand } from './serve-command.js';

describe('serve command', () => {
  it('names every option in its usage line', () => {
    for (const option of Object.keys(serveCommand.options)) {
      expect(serveCommand.usage).toContain(`[--${option}`);
    }
  });
});
