/**
 * The safety policy as main holds it, for every part of the inbox that acts on it (composer
 * warnings, message banners): asked once when the inbox opens and kept up to date by main's
 * `safetyPolicy` event. Until it is known, and outside the provider, the safe defaults apply.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { DEFAULT_SAFETY_POLICY } from '../../../common/safety/safety-policy.js';
import type { SafetyPolicy, SafetyPolicyView } from '../../../common/safety/safety-policy.js';
import { settle } from '../../api/use-action.js';

const SafetyPolicyContext = createContext<SafetyPolicy>(DEFAULT_SAFETY_POLICY);

export function SafetyPolicyProvider({ children }: { children: ReactNode }) {
  const [held, setHeld] = useState<SafetyPolicyView | null>(null);
  useEffect(() => {
    let live = true;
    // The answer and main's event may cross: the newer version wins, whichever comes last.
    const keep = (view: SafetyPolicyView) => setHeld((before) => (before !== null && before.version > view.version ? before : view));
    const stop = window.sportello.on('safetyPolicy', keep);
    void settle(window.sportello.getSafetyPolicy({})).then((result) => {
      if (live && result.ok) keep(result.value);
    });
    return () => {
      live = false;
      stop();
    };
  }, []);
  return <SafetyPolicyContext.Provider value={held?.policy ?? DEFAULT_SAFETY_POLICY}>{children}</SafetyPolicyContext.Provider>;
}

export function useSafetyPolicy(): SafetyPolicy {
  return useContext(SafetyPolicyContext);
}
