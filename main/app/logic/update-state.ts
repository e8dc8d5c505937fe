import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';

export type UpdatePhase = UpdateStateView['phase'];

/** What the updater reports, and what the user asks for. */
export type UpdateEvent =
  | { type: 'check' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'restart' }
  | { type: 'not-set-up'; code: string; message: string }
  | { type: 'error'; message: string; code?: string | undefined };

/** The phases each event may leave from; any other pair is ignored. */
const ALLOWED: Record<UpdateEvent['type'], readonly UpdatePhase[]> = {
  check: ['idle', 'error'],
  available: ['checking'],
  'not-available': ['checking'],
  progress: ['available', 'downloading'],
  downloaded: ['checking', 'available', 'downloading'],
  restart: ['downloaded'],
  'not-set-up': ['checking'],
  error: ['checking', 'available', 'downloading', 'restart-requested'],
};

/**
 * idle → checking → available → downloading → downloaded → restart-requested, with `error`
 * reachable from every phase that waits on the updater, and a new check only from idle or error.
 * An available update is already starting its download, so a check then would race it. A
 * downloaded update stays downloaded until the restart, because checking again would lose it.
 */
export function transition(
  state: UpdateStateView,
  event: UpdateEvent,
  now: number,
): UpdateStateView | undefined {
  if (!ALLOWED[event.type].includes(state.phase)) return undefined;

  const checkedAt = state.checkedAt === undefined ? {} : { checkedAt: state.checkedAt };
  switch (event.type) {
    case 'check':
      return { phase: 'checking', ...checkedAt };
    case 'available':
      return { phase: 'available', version: event.version, checkedAt: now };
    case 'not-available':
      return { phase: 'idle', checkedAt: now };
    case 'progress':
      return { ...state, phase: 'downloading', percent: clampPercent(event.percent) };
    case 'downloaded':
      return { phase: 'downloaded', version: event.version, percent: 100, checkedAt: now };
    case 'restart':
      return { ...state, phase: 'restart-requested' };
    case 'not-set-up':
      return { phase: 'idle', code: event.code, message: event.message, ...checkedAt };
    case 'error':
      return { phase: 'error', message: event.message, ...codeOf(event), ...checkedAt };
  }
}

function codeOf(event: { code?: string | undefined }): { code?: string } {
  return event.code === undefined ? {} : { code: event.code };
}

function clampPercent(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, percent));
}
