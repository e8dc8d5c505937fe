import { useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

export interface AddressFields {
  host: string;
  port: string;
  apiKey: string;
  name: string;
}

const EMPTY: AddressFields = { host: '', port: '', apiKey: '', name: '' };

/** Holds the add-by-address fields and calls `printers.add` with them. */
export function useAddPrinter() {
  const transport = useTransport();
  const [fields, setFields] = useState<AddressFields>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const [added, setAdded] = useState<PrinterSummary | null>(null);

  const setField = (field: keyof AddressFields, value: string) =>
    setFields((current) => ({ ...current, [field]: value }));

  const submit = async () => {
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const port = fields.port.trim() === '' ? undefined : Number(fields.port);
      const printer = await transport.call('printers.add', {
        host: fields.host.trim(),
        ...(port === undefined ? {} : { port }),
        ...(fields.apiKey === '' ? {} : { apiKey: fields.apiKey }),
        ...(fields.name.trim() === '' ? {} : { name: fields.name.trim() }),
      });
      setAdded(printer);
      setFields(EMPTY);
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };
  return { fields, setField, busy, error, added, submit };
}
