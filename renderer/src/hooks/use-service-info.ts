import { useEffect, useState } from 'react';

import type { ControlResult } from '../../../shared/control-api/methods.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

/**
 * The service's data folder and version from `service.info`, or null before it responded or
 * when it failed, such as on a service from before the method.
 */
export function useServiceInfo(): ControlResult<'service.info'> | null {
  const transport = useTransport();
  const connection = useTransportState();
  const [info, setInfo] = useState<ControlResult<'service.info'> | null>(null);

  useEffect(() => {
    if (connection !== 'open') return;
    let disposed = false;
    transport.call('service.info', {}).then(
      (loaded) => {
        if (!disposed) setInfo(loaded);
      },
      () => undefined,
    );
    return () => {
      disposed = true;
    };
  }, [transport, connection]);
  return info;
}
