import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatTime } from '../support/format.js';

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
                  {formatTime(ack.at, language)} {ack.stage} · {ack.status}
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
