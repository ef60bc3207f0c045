/**
 * The Luhn check (ISO/IEC 7812-1 annex B) that every payment card number passes: from the right,
 * every second digit doubled (less 9 when over 9), and the sum a multiple of ten. It catches one
 * wrong digit and most swapped neighbours, and a random digit string passes one time in ten.
 */

/** Whether a string of ASCII digits passes the Luhn check; false for anything else or nothing. */
export function isLuhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i -= 1, double = !double) {
    const digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    const value = double ? digit * 2 : digit;
    sum += value > 9 ? value - 9 : value;
  }
  return sum % 10 === 0;
}
