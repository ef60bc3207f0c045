import { GroupedCode } from '../components/GroupedCode.js';

/** A key fingerprint, grouped exactly as the workstation shows it, for IT to compare. */
export function Fingerprint({ value, testId = 'fingerprint' }: { value: string | null; testId?: string }) {
  if (value === null) return <span className="muted">—</span>;
  return (
    <span className="fingerprint" data-testid={testId}>
      <GroupedCode value={value} />
    </span>
  );
}
