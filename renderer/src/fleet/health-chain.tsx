import { useId } from 'react';

import type { HealthLink } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { healthFix, healthSummary, type HealthContext } from '../i18n/service-text.js';

const ICONS: Readonly<Record<HealthLink['link'], string>> = {
  lan: '⌁',
  moonraker: 'M',
  klippy: 'K',
  cloud: '☁',
};

/**
 * Renders the health chain from the network to the cloud as a row of icons. Each icon is focusable and
 * shows its summary and fix in a tooltip on hover and on focus, which screen readers get as
 * the icon's description.
 */
export function HealthChain(props: {
  health: readonly HealthLink[];
  /** The printer's state that picks the translation of a summary, such as `linking`. */
  printer?: HealthContext;
  printerName: string;
  /** False keeps the icons out of the Tab order, for a row that is itself one Tab stop. */
  focusable?: boolean;
}) {
  const { t } = useI18n();
  return (
    <ul className="health-chain" aria-label={t('health.chainLabel', { name: props.printerName })}>
      {props.health.map((link) => (
        <HealthIcon
          key={link.link}
          link={link}
          printer={props.printer}
          focusable={props.focusable ?? true}
        />
      ))}
    </ul>
  );
}

function HealthIcon(props: {
  link: HealthLink;
  printer: HealthContext | undefined;
  focusable: boolean;
}) {
  const { t, language } = useI18n();
  const tooltipId = useId();
  const { link } = props;
  const name = t(`health.${link.link}`);
  const fix = healthFix(language, link, props.printer);
  return (
    <li
      className="health-link"
      data-level={link.level}
      tabIndex={props.focusable ? 0 : -1}
      aria-label={`${name}: ${t(`health.level.${link.level}`)}`}
      aria-describedby={tooltipId}
    >
      <span aria-hidden="true">{ICONS[link.link]}</span>
      <span role="tooltip" id={tooltipId} className="tooltip">
        <strong>{name}</strong> {healthSummary(language, link, props.printer)}
        {fix ? <span className="tooltip-fix">{t('health.fix', { fix })}</span> : null}
      </span>
    </li>
  );
}
