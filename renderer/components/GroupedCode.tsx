/**
 * A code people read and type (pairing code, enrollment code, TOTP key, fingerprint) in groups
 * of characters, monospaced. The separators are real text, so copying or reading the code aloud
 * gives the groups as they are shown.
 */
import { Fragment } from 'react';

export function groupCharacters(value: string, groupSize: number): string[] {
  const compact = value.replace(/[\s-]/g, '');
  const groups: string[] = [];
  for (let start = 0; start < compact.length; start += groupSize) groups.push(compact.slice(start, start + groupSize));
  return groups;
}

interface GroupedCodeProps {
  readonly value: string;
  readonly groupSize?: number;
  readonly separator?: string;
  readonly size?: 'large' | 'medium';
  readonly className?: string;
}

export function GroupedCode({ value, groupSize = 4, separator = ' ', size = 'medium', className }: GroupedCodeProps) {
  const groups = groupCharacters(value, groupSize);
  return (
    <span className={`grouped-code grouped-code-${size} ${className ?? ''}`} translate="no">
      {groups.map((group, index) => (
        <Fragment key={index}>
          {index === 0 ? null : <span className="code-separator">{separator}</span>}
          <span className="code-group">{group}</span>
        </Fragment>
      ))}
    </span>
  );
}
