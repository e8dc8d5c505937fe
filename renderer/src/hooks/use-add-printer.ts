import { useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { splitAddress, type AddressProblem } from '../discovery/address-input.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

export interface AddressFields {
  host: string;
  port: string;
  apiKey: string;
  name: string;
}

const EMPTY: AddressFields = { host: '', port: '', apiKey: '', name: '' };

/**
 * Holds the add-by-address fields and calls `printers.add` with them. A pasted http:// or
 * https:// address is split into the host and port fields; one that cannot be split leaves a
 * `problem` and sends nothing.
 */
export function useAddPrinter() {
  const transport = useTransport();
  const [fields, setFields] = useState<AddressFields>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const [problem, setProblem] = useState<AddressProblem | null>(null);
  const [added, setAdded] = useState<PrinterSummary | null>(null);
  // Whether the port field contains a port taken from a pasted address and not edited since.
  const [portFromAddress, setPortFromAddress] = useState(false);

  const setField = (field: keyof AddressFields, value: string) => {
    if (field === 'host' || field === 'port') setProblem(null);
    if (field === 'port') setPortFromAddress(false);
    setFields((current) => ({ ...current, [field]: value }));
  };

  /** Shows a problem of the address, in place of the outcome of an earlier add. */
  const showProblem = (next: AddressProblem) => {
    setProblem(next);
    setAdded(null);
  };

  /** Splits a pasted address in the host field into host and port, as the field loses focus. */
  const splitHost = () => {
    const parsed = splitAddress(fields.host, fields.port);
    if (!parsed.ok) {
      showProblem(parsed.problem);
      return;
    }
    if (parsed.fields.port !== fields.port) setPortFromAddress(true);
    setFields((current) => ({ ...current, ...parsed.fields }));
  };

  const submit = async () => {
    const parsed = splitAddress(fields.host, fields.port);
    if (!parsed.ok) {
      showProblem(parsed.problem);
      return;
    }
    const { host, port: portText } = parsed.fields;
    setFields((current) => ({ ...current, host, port: portText }));
    setBusy(true);
    setError(null);
    setProblem(null);
    setAdded(null);
    try {
      const port = portText.trim() === '' ? undefined : Number(portText);
      const printer = await transport.call('printers.add', {
        host: host.trim(),
        ...(port === undefined ? {} : { port }),
        ...(fields.apiKey === '' ? {} : { apiKey: fields.apiKey }),
        ...(fields.name.trim() === '' ? {} : { name: fields.name.trim() }),
      });
      setAdded(printer);
      setFields(EMPTY);
      setPortFromAddress(false);
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };
  return { fields, setField, splitHost, portFromAddress, busy, error, problem, added, submit };
}
