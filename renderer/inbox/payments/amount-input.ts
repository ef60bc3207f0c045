/**
 * What the agent types as an amount ("12,50", "12.50", "1200" for yen) in the currency's minor
 * units, or null when it is not an amount the server takes: positive, at most the currency's
 * decimals, within MAX_PAYMENT_AMOUNT. Either mark separates the decimals; no thousands separators.
 */
import { MAX_PAYMENT_AMOUNT, PAYMENT_CURRENCIES } from '../../../common/payments/payment-links.js';
import type { PaymentCurrency } from '../../../common/payments/payment-links.js';

export function minorUnitsOf(text: string, currency: PaymentCurrency): number | null {
  const digits = PAYMENT_CURRENCIES[currency];
  const match = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text.trim());
  if (match === null) return null;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > digits) return null;
  const amount = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return amount > 0 && amount <= MAX_PAYMENT_AMOUNT ? amount : null;
}
