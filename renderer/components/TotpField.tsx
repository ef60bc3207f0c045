import { TextField } from './TextField.js';

/** The 6 digits an authenticator app shows: numeric keyboard, one-time-code autofill, a space between groups allowed. */
export function TotpField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <TextField
      label={label}
      value={value}
      onChange={onChange}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="\s*(\d\s*){6}"
      maxLength={7}
      required
      className="field-totp"
    />
  );
}
