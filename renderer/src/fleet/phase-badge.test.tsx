import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeTransport } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { PhaseBadge } from './phase-badge.js';

describe('PhaseBadge', () => {
  it('shows the standby state of a printer without a phase', () => {
    renderUi(<PhaseBadge phase={undefined} standby="ready_to_link" />, new FakeTransport());

    expect(screen.getByText('Ready to link')).toHaveAttribute('data-standby', 'ready_to_link');
  });

  it('prefers the phase of a running bridge', () => {
    renderUi(<PhaseBadge phase="Printing" standby="ready" />, new FakeTransport());

    expect(screen.getByText('Printing')).toHaveAttribute('data-phase', 'Printing');
  });

  it('shows Unknown without either', () => {
    renderUi(<PhaseBadge phase={undefined} />, new FakeTransport(), 'zh-CN');

    expect(screen.getByText('未知')).toHaveAttribute('data-phase', 'unknown');
  });
});
