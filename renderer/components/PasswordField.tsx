import { useId } from 'react';
import type { InputHTMLAttributes, ReactNode } from 'react';

interface PasswordFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'defaultValue' | 'id' | 'type'> {
  readonly label: ReactNode;
  readonly onChange: (value: string) => void;
}

/**
 * A password input React does not control: a controlled input mirrors its value into the DOM's
 * `value` attribute, where attribute selectors and DOM dumps could read it. Here the typed text
 * lives only in the input's own state and is reported through onChange.
 */
export function PasswordField({ label, onChange, ...input }: PasswordFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" onChange={(event) => onChange(event.target.value)} {...input} />
    </div>
  );
}
