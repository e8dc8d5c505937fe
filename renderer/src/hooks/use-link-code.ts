import { useState } from 'react';

import { useLinkActivity } from './use-link-activity.js';

/**
 * Holds the link code field of one printer and submits it through the linking store, which
 * keeps the link's progress and outcome when the view closes.
 */
export function useLinkCode(printerId: string) {
  const { activity, submitCode } = useLinkActivity(printerId);
  const [code, setCode] = useState('');

  const submit = async () => {
    if (await submitCode(code.trim())) setCode('');
  };
  return { code, setCode, busy: activity.submitting, submit };
}
