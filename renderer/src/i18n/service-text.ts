import type {
  HealthLink,
  PrinterDetail,
  PrinterProbe,
  PrinterSummary,
} from '../../../shared/control-api/printer-views.js';
import type { Language } from './i18n-context.js';
import { zhCNServiceTexts, type ServiceTextKey } from './service-text-zh-cn.js';

/**
 * Sentences that the service writes in English, shown in the UI's language. English shows the
 * service's own text, which names more specifics (addresses, versions) than a translation keyed
 * by a code can. Another language shows the translation of the stable code sent with the text,
 * and the English text when it has none for that code.
 */

type Values = Readonly<Record<string, string | number>>;

/** A translation picked from the codes, with the values of its placeholders. */
interface TextChoice {
  key: ServiceTextKey;
  values?: Values;
}

const SERVICE_TEXTS: Readonly<Record<Language, Readonly<Partial<Record<string, string>>>>> = {
  en: {},
  'zh-CN': zhCNServiceTexts,
};

/** Socket error codes that mean the host name could not be resolved, as the service groups them. */
const NAME_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
/** Socket error codes that mean this computer has no route to the printer's network. */
const ROUTE_CODES = new Set(['ENETUNREACH', 'ENETDOWN']);

function isServiceTextKey(key: string): key is ServiceTextKey {
  return Object.hasOwn(zhCNServiceTexts, key);
}

/** Returns the translation for `key`, when the tables have that key. */
function known(key: string, values?: Values): TextChoice | undefined {
  if (!isServiceTextKey(key)) return undefined;
  return values ? { key, values } : { key };
}

/** Returns the template of `choice` in `language` with its placeholders filled, if there is one. */
function render(language: Language, choice: TextChoice | undefined): string | undefined {
  if (!choice) return undefined;
  const template = SERVICE_TEXTS[language][choice.key];
  if (template === undefined) return undefined;
  const values = choice.values ?? {};
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

function textDetail(
  details: Readonly<Record<string, unknown>> | undefined,
  key: string,
): string | undefined {
  const value = details?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The first line of a Klipper message, which states the reason. */
function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n')[0]?.trim();
  return line ? line : undefined;
}

/**
 * The service's "not checked" sentences of the LAN, Moonraker and Klippy links, which it sends
 * without a code, by their English text. A sentence missing here shows in English, because a
 * shorter translation would drop what the link waits for.
 */
const NOT_CHECKED_KEYS: Readonly<Record<string, ServiceTextKey>> = {
  'Not checked until the printer answers on the network': 'health.notChecked.network',
  'Not checked until the printer is reachable': 'health.notChecked.reachable',
  'Not checked until Moonraker is connected': 'health.notChecked.moonrakerConnected',
  'Not checked until Moonraker responds': 'health.notChecked.moonrakerResponds',
  'Not checked until Moonraker lets this computer in': 'health.notChecked.moonrakerTrusts',
  'Not checked while the bridge is stopped': 'health.notChecked.bridgeStopped',
  'Not checked while the bridge restarts': 'health.notChecked.bridgeRestarts',
  'Not connected while the bridge is stopped': 'health.notConnected.bridgeStopped',
};

function notCheckedChoice(link: HealthLink): TextChoice | undefined {
  const key = NOT_CHECKED_KEYS[link.summary];
  return key ? { key } : undefined;
}

/** The printer facts that tell apart health texts whose link, level and details are alike. */
export type HealthContext = Pick<PrinterSummary, 'enabled' | 'link'>;

/** Returns the base key of a health link's summary, from its link, level and detail codes. */
function healthChoice(
  link: HealthLink,
  printer: HealthContext | undefined,
): TextChoice | undefined {
  const { details } = link;
  const code = textDetail(details, 'code');
  switch (link.link) {
    case 'lan':
      return lanChoice(link, code, textDetail(details, 'systemCode'));
    case 'moonraker':
      return moonrakerChoice(link, code);
    case 'klippy':
      return klippyChoice(link);
    case 'cloud':
      return cloudChoice(link, code, printer);
  }
}

function lanChoice(
  link: HealthLink,
  code: string | undefined,
  systemCode: string | undefined,
): TextChoice | undefined {
  switch (link.level) {
    case 'ok':
    case 'pending':
      return { key: `health.lan.${link.level}` };
    case 'unknown':
      return notCheckedChoice(link);
    case 'offline': {
      // A printer without a bridge reports what its probe found, with the probe's reason.
      const reason = textDetail(link.details, 'reason');
      return reason ? probeReasonChoice(reason) : { key: 'health.lan.offline' };
    }
    case 'error':
      if (systemCode && NAME_CODES.has(systemCode)) return { key: 'health.lan.error.name' };
      if (systemCode && ROUTE_CODES.has(systemCode)) {
        return { key: 'health.lan.error.route' };
      }
      if (code === 'invalid_url') return { key: 'health.lan.error.invalid_url' };
      return undefined;
    default:
      return undefined;
  }
}

function moonrakerChoice(link: HealthLink, code: string | undefined): TextChoice | undefined {
  switch (link.level) {
    case 'ok':
    case 'pending':
      return { key: `health.moonraker.${link.level}` };
    case 'unknown':
      return notCheckedChoice(link);
    case 'warning':
      return code === 'closed' ? { key: 'health.moonraker.warning.closed' } : undefined;
    case 'error':
      return moonrakerErrorChoice(link, code);
    default:
      return undefined;
  }
}

function moonrakerErrorChoice(link: HealthLink, code: string | undefined): TextChoice | undefined {
  const { details } = link;
  // A bridge reports `apiKeyConfigured` with the `unauthorized` code, a probe `apiKeyRejected`.
  const apiKeyRejected = details?.['apiKeyConfigured'] ?? details?.['apiKeyRejected'];
  if (code === 'unauthorized' || typeof details?.['apiKeyRejected'] === 'boolean') {
    return {
      key:
        apiKeyRejected === true
          ? 'health.moonraker.error.apiKey'
          : 'health.moonraker.error.untrusted',
    };
  }
  // A probe's `not_moonraker` error names what answered in `observed`.
  if (code === 'not_found' || code === 'http_error' || textDetail(details, 'observed')) {
    return { key: 'health.moonraker.error.notMoonraker' };
  }
  if (code === 'rpc_error' || code === 'invalid_response') {
    return {
      key: 'health.moonraker.error.rpc',
      values: { message: textDetail(details, 'message') ?? '' },
    };
  }
  return undefined;
}

function klippyChoice(link: HealthLink): TextChoice | undefined {
  const state = textDetail(link.details, 'state');
  const reason = firstLine(textDetail(link.details, 'stateMessage'));
  switch (link.level) {
    case 'ok':
      return { key: 'health.klippy.ok' };
    case 'unknown':
      return notCheckedChoice(link);
    case 'pending':
      return {
        key: state === 'startup' ? 'health.klippy.pending.startup' : 'health.klippy.pending',
      };
    case 'warning':
      return state ? { key: 'health.klippy.warning', values: { state } } : undefined;
    case 'error':
      if (state === 'shutdown' || state === 'error') {
        return reason
          ? { key: `health.klippy.error.${state}.reason`, values: { reason } }
          : { key: `health.klippy.error.${state}` };
      }
      return state === 'disconnected' ? { key: 'health.klippy.error.disconnected' } : undefined;
    default:
      return undefined;
  }
}

function cloudChoice(
  link: HealthLink,
  code: string | undefined,
  printer: HealthContext | undefined,
): TextChoice | undefined {
  const reasonCode = link.details?.['reasonCode'];
  const values = { reasonCode: typeof reasonCode === 'number' ? reasonCode : 0 };
  switch (link.level) {
    case 'ok':
      return { key: 'health.cloud.ok' };
    case 'pending':
      return {
        key: printer?.link === 'linking' ? 'health.cloud.pending.linking' : 'health.cloud.pending',
      };
    case 'unknown':
      return {
        key: printer?.enabled === false ? 'health.cloud.unknown.disabled' : 'health.cloud.unknown',
      };
    case 'warning':
      if (code === undefined) {
        return printer?.link === 'unlinked' ? { key: 'health.cloud.warning.unlinked' } : undefined;
      }
      return cloudCodeChoice('warning', code, values);
    case 'error':
      // A crash report carries the crash count and no failure code.
      if (code === undefined && typeof link.details?.['crashes'] === 'number') {
        return { key: 'health.cloud.error.crashed' };
      }
      return code === undefined ? undefined : cloudCodeChoice('error', code, values);
    default:
      return undefined;
  }
}

function cloudCodeChoice(
  level: 'warning' | 'error',
  code: string,
  values: Values,
): TextChoice | undefined {
  // The broker failures share one sentence, as in the service.
  const shared = code === 'connect_timeout' ? 'connect_failed' : code;
  return known(`health.cloud.${level}.${shared}`, values);
}

/** Returns the key of the fix that goes with a summary key, when the table has one. */
function fixChoice(summary: TextChoice | undefined, link: HealthLink): TextChoice | undefined {
  if (!summary) return undefined;
  if (
    summary.key === 'health.moonraker.error.untrusted' ||
    summary.key === 'health.moonraker.error.apiKey'
  ) {
    const entry =
      textDetail(link.details, 'trustedClientsEntry') ?? textDetail(link.details, 'trustedClient');
    return trustFixChoice(summary.key === 'health.moonraker.error.apiKey', entry);
  }
  // A reason of a Klippy shutdown or error has the same fix as the sentence without one.
  return known(`${summary.key.replace(/\.reason$/, '')}.fix`);
}

function trustFixChoice(apiKeyRejected: boolean, entry: string | undefined): TextChoice {
  const prefix = apiKeyRejected ? 'apiKey' : 'trust';
  return entry
    ? { key: `${prefix}.fix.entry`, values: { entry } }
    : { key: `${prefix}.fix.noEntry` };
}

/** Returns a health link's summary in `language`. */
export function healthSummary(
  language: Language,
  link: HealthLink,
  printer?: HealthContext,
): string {
  return render(language, healthChoice(link, printer)) ?? link.summary;
}

/** The service's reason for a printer whose Moonraker is unreachable, before any socket detail. */
const UNREACHABLE_REASON = 'Moonraker unreachable';

/**
 * Returns the reason of a printer's phase in `language`. Only the service's own "Moonraker
 * unreachable" is translated, with its English socket detail. Other reasons are Klipper's or
 * the print's own messages and show as sent.
 */
export function printerReason(language: Language, reason: string): string {
  if (reason === UNREACHABLE_REASON) {
    return render(language, { key: 'reason.moonrakerUnreachable' }) ?? reason;
  }
  if (reason.startsWith(`${UNREACHABLE_REASON}: `)) {
    const detail = reason.slice(UNREACHABLE_REASON.length + 2);
    return (
      render(language, { key: 'reason.moonrakerUnreachable.detail', values: { detail } }) ?? reason
    );
  }
  return reason;
}

/** Returns a health link's fix in `language`, or undefined when the link has none. */
export function healthFix(
  language: Language,
  link: HealthLink,
  printer?: HealthContext,
): string | undefined {
  if (!link.fix) return undefined;
  return render(language, fixChoice(healthChoice(link, printer), link)) ?? link.fix;
}

function probeReasonChoice(reason: string): TextChoice | undefined {
  return known(`probe.unreachable.${reason}`);
}

function probeChoice(probe: PrinterProbe): TextChoice | undefined {
  switch (probe.outcome) {
    case 'ready':
      return { key: 'probe.ready' };
    case 'klippy_not_ready':
      return { key: 'probe.klippy_not_ready', values: { state: probe.klippyState ?? '?' } };
    case 'unauthorized':
      return {
        key:
          probe.details?.['apiKeyRejected'] === true
            ? 'health.moonraker.error.apiKey'
            : 'health.moonraker.error.untrusted',
      };
    case 'unreachable': {
      const reason = textDetail(probe.details, 'reason');
      return (reason ? probeReasonChoice(reason) : undefined) ?? { key: 'probe.unreachable' };
    }
    case 'not_moonraker':
      return { key: 'probe.not_moonraker' };
  }
}

function probeFixChoice(probe: PrinterProbe): TextChoice | undefined {
  switch (probe.outcome) {
    case 'klippy_not_ready':
      return known(`health.klippy.error.${probe.klippyState ?? ''}.fix`);
    case 'unauthorized':
      return trustFixChoice(
        probe.details?.['apiKeyRejected'] === true,
        textDetail(probe.details, 'trustedClient'),
      );
    default: {
      const summary = probeChoice(probe);
      return summary ? known(`${summary.key}.fix`) : undefined;
    }
  }
}

/** Returns what the latest probe found, in `language`. */
export function probeSummary(language: Language, probe: PrinterProbe): string {
  return render(language, probeChoice(probe)) ?? probe.summary;
}

/** Returns the probe's fix in `language`, or undefined when it has none. */
export function probeFix(language: Language, probe: PrinterProbe): string | undefined {
  if (!probe.fix) return undefined;
  return render(language, probeFixChoice(probe)) ?? probe.fix;
}

type RecentEvent = PrinterDetail['recentEvents'][number];

/** Returns the name of an event in `language`: its code such as `print:started` in English. */
export function eventTitle(language: Language, event: RecentEvent): string {
  return render(language, known(`event.${event.name}`)) ?? event.name;
}

/**
 * Returns an event's sentence in `language`. A translation needs every value it names, such as
 * the file name, from the event's data; without them the service's sentence shows.
 */
export function eventMessage(language: Language, event: RecentEvent): string {
  const key = `event.${event.name}.message`;
  if (!isServiceTextKey(key)) return event.message;
  const template = zhCNServiceTexts[key];
  const data = event.data ?? {};
  const values: Record<string, string> = {};
  for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
    if (name === undefined) continue;
    const value = name === 'stateMessage' ? firstLine(data[name]) : data[name];
    if (value === undefined) return event.message;
    values[name] = value;
  }
  return render(language, { key, values }) ?? event.message;
}

/** Returns the title of an error code in `language`, or undefined when it has none. */
export function errorTitle(language: Language, code: string): string | undefined {
  return render(language, known(`error.${code}`));
}

/** Returns a sentence that explains an error code in `language`, or undefined when it has none. */
export function errorSentence(language: Language, code: string): string | undefined {
  return render(language, known(`error.${code}.message`));
}
