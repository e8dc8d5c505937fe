import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { usePrinterEdits } from '../hooks/use-printer-edits.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ApiKeyForm, apiKeyStateOf } from './api-key-form.js';
import { FieldStatus } from './field-status.js';
import { RemovePrinter } from './remove-printer.js';
import { TextSettingForm } from './text-setting-form.js';

/** Longest Moonraker URL that `printers.setMoonrakerUrl` accepts. */
const MOONRAKER_URL_MAX_LENGTH = 2048;

/**
 * Edits one printer: its name, whether its bridge runs, its Moonraker URL and its Moonraker
 * API key. Without `onRemoved` it leaves out "Remove printer".
 */
export function PrinterSettingsPanel(props: {
  printer: PrinterSummary;
  /** Called once the printer was removed, to leave its detail view. */
  onRemoved?: () => void;
}) {
  const { t } = useI18n();
  const edits = usePrinterEdits(props.printer);
  const printer = edits.current;
  const headingId = `printer-settings-${printer.id}`;
  const enabledStatusId = `enabled-status-${printer.id}`;
  return (
    <section className="card stack" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('printer.heading')}</h2>
      <div className="form-columns">
        <div className="stack">
          <TextSettingForm
            key={printer.name}
            id={`name-${printer.id}`}
            label={t('printer.name')}
            value={printer.name}
            submitLabel={t('printer.rename')}
            maxLength={64}
            busy={edits.busy === 'name'}
            problem={edits.problems.name}
            saved={edits.saved === 'name'}
            onSave={edits.rename}
            onEdit={() => edits.edit('name')}
          />
          <TextSettingForm
            key={printer.moonrakerUrl}
            id={`moonraker-url-${printer.id}`}
            label={t('printer.moonrakerUrl')}
            value={printer.moonrakerUrl}
            submitLabel={t('printer.moonrakerUrlSave')}
            hint={t('printer.moonrakerUrlHint')}
            maxLength={MOONRAKER_URL_MAX_LENGTH}
            inputMode="url"
            busy={edits.busy === 'moonrakerUrl'}
            problem={edits.problems.moonrakerUrl}
            saved={edits.saved === 'moonrakerUrl'}
            onSave={edits.setMoonrakerUrl}
            onEdit={() => edits.edit('moonrakerUrl')}
          />
          <div>
            <label className="row">
              <input
                type="checkbox"
                checked={printer.enabled}
                disabled={edits.busy === 'enabled'}
                aria-describedby={`enabled-hint-${printer.id} ${enabledStatusId}`}
                onChange={(event) => void edits.setEnabled(event.target.checked)}
              />
              {t('printer.enabled')}
            </label>
            <p id={`enabled-hint-${printer.id}`} className="muted">
              {t('printer.enabledHint')}
            </p>
            <FieldStatus
              id={enabledStatusId}
              problem={edits.problems.enabled}
              saved={edits.saved === 'enabled'}
            />
          </div>
        </div>
        <ApiKeyForm
          printerId={printer.id}
          state={apiKeyStateOf(printer)}
          busy={edits.busy === 'apiKey'}
          problem={edits.problems.apiKey}
          saved={edits.saved === 'apiKey'}
          onSave={edits.setApiKey}
          onEdit={() => edits.edit('apiKey')}
        />
      </div>
      {props.onRemoved ? (
        <RemovePrinter
          printerId={printer.id}
          printerName={printer.name}
          linked={printer.link === 'linked'}
          onRemoved={props.onRemoved}
        />
      ) : null}
    </section>
  );
}
