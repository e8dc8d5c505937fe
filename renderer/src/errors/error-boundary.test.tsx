import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { FakeTransport } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { ErrorBoundary, renderFailureMessage } from './error-boundary.js';

function Broken(): never {
  throw new Error('Cannot read properties of undefined');
}

describe('ErrorBoundary', () => {
  it('shows a recoverable error screen', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const onError = vi.fn();
    const onReload = vi.fn();

    renderUi(
      <ErrorBoundary onError={onError} onReload={onReload}>
        <Broken />
      </ErrorBoundary>,
      new FakeTransport(),
    );

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong');
    expect(alert).toHaveTextContent('Cannot read properties of undefined');
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalledTimes(1);
    quiet.mockRestore();
  });

  it('reports the error with its component stack', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const onError = vi.fn();

    renderUi(
      <ErrorBoundary onError={onError}>
        <Broken />
      </ErrorBoundary>,
      new FakeTransport(),
    );

    expect(onError).toHaveBeenCalledTimes(1);
    const [error, componentStack] = onError.mock.calls[0] as [Error, string];
    expect(error.message).toBe('Cannot read properties of undefined');
    expect(componentStack).toContain('Broken');
    quiet.mockRestore();
  });

  it('speaks Chinese in a Chinese UI', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    renderUi(
      <ErrorBoundary onError={() => undefined}>
        <Broken />
      </ErrorBoundary>,
      new FakeTransport(),
      'zh-CN',
    );

    expect(screen.getByRole('button', { name: '重新加载' })).toBeInTheDocument();
    quiet.mockRestore();
  });

  it('renders its children while nothing fails', () => {
    renderUi(
      <ErrorBoundary onError={() => undefined}>
        <p>Fleet</p>
      </ErrorBoundary>,
      new FakeTransport(),
    );

    expect(screen.getByText('Fleet')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('renderFailureMessage', () => {
  it('names the error and the components', () => {
    const error = new Error('boom');
    const message = renderFailureMessage(error, '\n    at FleetView\n    at App');
    expect(message).toMatch(/^The UI failed to render: Error: boom\n/);
    expect(message).toContain('Component stack:\n    at FleetView\n    at App');
  });
});
