/**
 * The safety policy as main holds it: asked once per component that needs it and kept up to date
 * by main's `safetyPolicy` event. Until it is known, the composer acts on the safe defaults.
 */
import { useEffect, useState } from 'react';
import { DEFAULT_SAFETY_POLICY } from '../../../common/safety/safety-policy.js';
import type { SafetyPolicy } from '../../../common/safety/safety-policy.js';
import { settle } from '../../api/use-action.js';

export function useSafetyPolicy(): SafetyPolicy {
  const [policy, setPolicy] = useState<SafetyPolicy>(DEFAULT_SAFETY_POLICY);
  useEffect(() => {
    let live = true;
    void settle(window.sportello.getSafetyPolicy({})).then((result) => {
      if (live && result.ok) setPolicy(result.value.policy);
    });
    const stop = window.sportello.on('safetyPolicy', (view) => setPolicy(view.policy));
    return () => {
      live = false;
      stop();
    };
  }, []);
  return policy;
}
