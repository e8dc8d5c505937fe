import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { ACK_STAGES, ACK_STATUSES } from '../../../shared/contract/commands.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import { formatTime } from '../support/format.js';

/** Returns an acknowledgement's stage or status in the UI's language, or as sent when unknown. */
function ackLabel(t: Translate, ack: { stage: string; status: string }) {
  const stage = (ACK_STAGES as readonly string[]).includes(ack.stage)
    ? t(`command.stage.${ack.stage as (typeof ACK_STAGES)[number]}`)
    : ack.stage;
  const status = (ACK_STATUSES as readonly string[]).includes(ack.status)
    ? t(`command.status.${ack.status as (typeof ACK_STATUSES)[number]}`)
    : ack.status;
  return `${stage} · ${status}`;
}

/** Renders the commands from the cloud with each acknowledgement sent for them, newest first. */
export function CommandList(props: { commands: PrinterDetail['commands'] }) {
  const { t, language } = useI18n();
  const commands = [...props.commands].sort((a, b) => b.receivedAt - a.receivedAt);
  return (
    <section className="card" aria-labelledby="commands-heading">
      <h2 id="commands-heading">{t('detail.commands')}</h2>
      {commands.length === 0 ? <p className="muted">{t('detail.noCommands')}</p> : null}
      <ol className="timeline">
        {commands.map((command) => (
          <li key={command.commandId}>
            <time>{formatTime(command.receivedAt, language)}</time>{' '}
            <strong>{command.command}</strong> <span className="muted">{command.commandId}</span>
            <ul className="acks">
              {command.acks.map((ack, index) => (
                <li key={`${ack.at}-${index}`} data-status={ack.status}>
                  {formatTime(ack.at, language)} {ackLabel(t, ack)}
                  {ack.code ? ` · ${ack.code}` : ''}
                  {ack.message ? ` · ${ack.message}` : ''}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
