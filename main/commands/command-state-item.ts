import { COMMAND_STATE_EVENT } from '../../shared/contract/events.js';
import type { CommandState, CommandStateItem, Severity } from '../../shared/contract/events.js';
import { isoSeconds } from '../../shared/contract/time.js';

/** `system:command-state` items, which report a command's progress on the events channel. */

const SEVERITY_OF_STATE: Record<CommandState, Severity> = {
  dispatched: 'info',
  accepted: 'info',
  completed: 'info',
  failed: 'warning',
  rejected: 'warning',
  abandoned: 'warning',
  timeout: 'warning',
};

export interface CommandStateInput {
  commandId: string;
  commandType: string;
  state: CommandState;
  /** Extra fields of `data`, such as `{ code, message }` of a failure. */
  details?: Record<string, unknown>;
}

export function createCommandStateItem(input: CommandStateInput, nowMs: number): CommandStateItem {
  return {
    eventName: COMMAND_STATE_EVENT,
    severity: SEVERITY_OF_STATE[input.state],
    occurredAt: isoSeconds(nowMs),
    data: {
      ...input.details,
      commandId: input.commandId,
      commandType: input.commandType,
      state: input.state,
    },
  };
}
