import { Component, type ErrorInfo, type ReactNode } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import { describeValue } from './renderer-logger.js';

export interface ErrorBoundaryProps {
  children: ReactNode;
  /** Receives each error that a component threw while rendering, with the component stack. */
  onError: (error: unknown, componentStack: string) => void;
  /** Reloads the page, with `location.reload()` by default. */
  onReload?: () => void;
}

type ErrorBoundaryState = { failed: false } | { failed: true; error: unknown };

/**
 * Catches an error thrown while rendering the UI and shows a screen that explains it and offers
 * a reload, in place of the blank window that React leaves otherwise.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { failed: true, error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError(error, info.componentStack ?? '');
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    const reload = this.props.onReload ?? (() => window.location.reload());
    return <CrashScreen error={this.state.error} onReload={reload} />;
  }
}

/** Describes a render failure for the log: the error with its stack, then the components. */
export function renderFailureMessage(error: unknown, componentStack: string): string {
  const components = componentStack.trim() ? `\nComponent stack:${componentStack}` : '';
  return `The UI failed to render: ${describeValue(error)}${components}`;
}

function CrashScreen(props: { error: unknown; onReload: () => void }) {
  const { t } = useI18n();
  return (
    <div className="crash-screen card stack" role="alert">
      <h1>{t('crash.title')}</h1>
      <p>{t('crash.body')}</p>
      <div className="row">
        <button type="button" className="primary" onClick={props.onReload}>
          {t('crash.reload')}
        </button>
      </div>
      <details>
        <summary>{t('crash.details')}</summary>
        <pre className="crash-details">{describeValue(props.error)}</pre>
      </details>
    </div>
  );
}
