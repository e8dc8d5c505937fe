import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { ClickToLinkProvider } from './click-to-link-context.js';
import { LinkPanel } from './link-panel.js';

const UNLINKED = printerSummary({ id: 'p1', name: 'Voron', link: 'unlinked' });
const OTHER = printerSummary({ id: '958c44d4-other', name: 'Ender', link: 'unlinked' });

function renderPanel(transport: FakeTransport) {
  return renderUi(
    <ClickToLinkProvider>
      <LinkPanel printer={UNLINKED} />
    </ClickToLinkProvider>,
    transport,
  );
}

/** Renders two panels under one app-wide session, as the detail views share it. */
function renderTwoPanels(transport: FakeTransport) {
  return renderUi(
    <ClickToLinkProvider>
      <div data-testid="voron">
        <LinkPanel printer={UNLINKED} />
      </div>
      <div data-testid="ender">
        <LinkPanel printer={OTHER} />
      </div>
    </ClickToLinkProvider>,
    transport,
  );
}

function linkStartTransport() {
  return new FakeTransport().handle('link.start', () => ({
    url: 'https://owl.example.com/add',
    state: 's',
    expiresAt: 0,
  }));
}

function submitCode(code: string) {
  fireEvent.change(screen.getByLabelText('Link code'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: 'Link with code' }));
}

describe('LinkPanel', () => {
  it('opens the link page and waits for the browser', async () => {
    const transport = new FakeTransport().handle('link.start', () => ({
      url: 'https://owl.example.com/add?state=abc',
      state: 'abc',
      expiresAt: 0,
    }));
    renderPanel(transport);

    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));

    expect(await screen.findByText(/Waiting for the browser/)).toBeInTheDocument();
    expect(transport.callsOf('link.start')).toEqual([{ printerIds: ['p1'] }]);
    expect(transport.opened).toEqual(['https://owl.example.com/add?state=abc']);

    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
    );

    expect(screen.getByText('Voron is linked.')).toBeInTheDocument();
    expect(screen.queryByText(/Waiting for the browser/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Done' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('keeps another printer out of the panel', async () => {
    const transport = linkStartTransport();
    renderTwoPanels(transport);
    const voron = within(screen.getByTestId('voron'));
    const ender = within(screen.getByTestId('ender'));

    fireEvent.click(voron.getByRole('button', { name: 'Link in the browser' }));
    expect(await voron.findByText(/Waiting for the browser/)).toBeInTheDocument();
    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
    );

    expect(voron.getByText('Voron is linked.')).toBeInTheDocument();
    expect(ender.queryByText(/is linked/)).toBeNull();
    expect(ender.queryByText(/Waiting for the browser/)).toBeNull();
    expect(ender.queryByRole('button', { name: 'Done' })).toBeNull();
    expect(screen.queryByText(/958c44d4/)).toBeNull();
  });

  it('offers Close after a failed link', async () => {
    const transport = linkStartTransport();
    renderPanel(transport);

    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));
    await screen.findByText(/Waiting for the browser/);
    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'failed', message: 'Closed' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));

    expect(screen.queryByText('Voron: Closed')).toBeNull();
  });

  it('shows a failed link from link.progress', async () => {
    const transport = new FakeTransport().handle('link.start', () => ({
      url: 'https://owl.example.com/add',
      state: 's',
      expiresAt: 0,
    }));
    renderPanel(transport);

    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));
    await screen.findByText(/Waiting for the browser/);
    act(() =>
      transport.emit('link.progress', {
        printerId: 'p1',
        state: 'failed',
        message: 'The link page was closed',
      }),
    );

    expect(screen.getByText('Voron: The link page was closed')).toBeInTheDocument();
  });

  it('links with a pasted code', async () => {
    const transport = new FakeTransport().handle('link.withCode', () =>
      printerSummary({ id: 'p1', link: 'linked' }),
    );
    renderPanel(transport);

    submitCode(' ABCD-1234 ');

    expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();
    expect(transport.callsOf('link.withCode')).toEqual([{ printerId: 'p1', code: 'ABCD-1234' }]);
  });

  it.each([
    ['link_expired', 'The link code has expired. Create a new one in Owl Web.'],
    ['link_failed', 'Linking failed.'],
    ['already_linked', 'This printer is already linked.'],
    ['cloud_unreachable', 'Owl Cloud cannot be reached.'],
    ['invalid_arguments', 'Owl Cloud does not accept this link code.'],
  ] as const)('explains %s with the service message', async (code, title) => {
    const message = `Owl Cloud rejected the code (${code})`;
    const transport = new FakeTransport().fail('link.withCode', code, message);
    renderPanel(transport);

    submitCode('ABCD-1234');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(message);
  });

  it.each([
    ['already_linked', 'Create a new link code in Owl Web.'],
    ['cloud_unreachable', 'the API address under Settings, then try again.'],
    ['invalid_arguments', 'Copy the code from Owl Web again and paste it here.'],
  ] as const)('gives a fix for %s', async (code, fix) => {
    const transport = new FakeTransport().fail('link.withCode', code, 'Rejected');
    renderPanel(transport);

    submitCode('ABCD-1234');

    expect(await screen.findByRole('alert')).toHaveTextContent(fix);
  });

  it('shows progress while the code is checked', async () => {
    let answer: (value: ReturnType<typeof printerSummary>) => void = () => undefined;
    const transport = new FakeTransport().handle(
      'link.withCode',
      () => new Promise((resolve) => (answer = resolve)),
    );
    renderPanel(transport);

    submitCode('ABCD-1234');

    expect(await screen.findByText(/Checking the code with Owl Cloud/)).toBeInTheDocument();
    act(() => answer(printerSummary({ id: 'p1', link: 'linked' })));
    expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();
    expect(screen.queryByText(/Checking the code/)).toBeNull();
  });

  it('unlinks a linked printer', async () => {
    const transport = new FakeTransport().handle('link.unlink', () =>
      printerSummary({ id: 'p1', link: 'unlinked' }),
    );
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', link: 'linked' })} />
      </ClickToLinkProvider>,
      transport,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));

    await waitFor(() => expect(transport.callsOf('link.unlink')).toEqual([{ printerId: 'p1' }]));
    expect(screen.queryByRole('button', { name: 'Link in the browser' })).toBeNull();
  });
});
