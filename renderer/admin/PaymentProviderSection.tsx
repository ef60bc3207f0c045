/**
 * The payment provider (admins): where agents' payment links come from. None, Stripe (its secret
 * key typed here goes to the server once, which seals it; it is never shown again, only whether
 * one is stored), or a fixed payment page (a PayPal.me or provider https address).
 */
import type { FormEvent } from 'react';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminPaymentProviderView, PaymentProviderKind, SetPaymentProviderRequest } from '../../common/payments/payment-links.js';
import { PAYMENT_PROVIDER_KINDS } from '../../common/payments/payment-links.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { useLoaded } from './use-loaded.js';

export function PaymentProviderSection() {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const titleId = useId();
  const load = useCallback(() => window.sportello.adminGetPaymentProvider({}), []);
  const loaded = useLoaded(load);
  const [shown, setShown] = useState<AdminPaymentProviderView | null>(null);
  const [kind, setKind] = useState<PaymentProviderKind>('none');
  const [secretKey, setSecretKey] = useState('');
  const [url, setUrl] = useState('');
  const [saved, setSaved] = useState(false);
  const show = (view: AdminPaymentProviderView) => {
    setShown(view);
    setKind(view.kind);
    setUrl(view.fixedUrl ?? '');
    setSecretKey('');
  };
  useEffect(() => {
    if (loaded.value !== null) show(loaded.value);
  }, [loaded.value]);
  const save = useAction(
    (request: SetPaymentProviderRequest) => window.sportello.adminSetPaymentProvider(request),
    (view) => {
      show(view);
      setSaved(true);
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const request: SetPaymentProviderRequest =
      kind === 'stripe' ? { kind, secretKey: secretKey.trim() } : kind === 'fixed_url' ? { kind, url: url.trim() } : { kind: 'none' };
    void save.run(request);
  };
  return (
    <section className="panel safety-section payment-provider-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('payments.admin.title')}</h2>
      <p className="muted">{t('payments.admin.explain')}</p>
      <ErrorNotice problem={loaded.failure} />
      {shown === null ? null : (
        <form onSubmit={submit} aria-label={t('payments.admin.title')}>
          <p className="muted" data-testid="payment-provider-state">
            {shown.changedBy === null
              ? t('payments.admin.neverSet')
              : t('payments.admin.changed', { when: format.moment(shown.changedAt ?? 0), who: shown.changedBy })}
          </p>
          <fieldset className="field">
            <legend>{t('payments.admin.kindLabel')}</legend>
            {PAYMENT_PROVIDER_KINDS.map((option) => (
              <label key={option} className="choice">
                <input type="radio" name="payment-provider" checked={kind === option} onChange={() => setKind(option)} />
                {t(`payments.admin.kind_${option}`)}
              </label>
            ))}
          </fieldset>
          {kind === 'stripe' ? (
            <TextField
              label={t('payments.admin.secretKey')}
              type="password"
              autoComplete="off"
              value={secretKey}
              onChange={setSecretKey}
              placeholder="sk_live_…"
              hint={shown.stripeKeyStored ? t('payments.admin.keyStored', { mode: shown.stripeMode ?? 'live' }) : t('payments.admin.keyHint')}
            />
          ) : null}
          {kind === 'fixed_url' ? (
            <TextField
              label={t('payments.admin.fixedUrl')}
              type="url"
              value={url}
              onChange={setUrl}
              placeholder="https://paypal.me/…"
              hint={t('payments.admin.fixedUrlHint')}
            />
          ) : null}
          <ErrorNotice problem={save.failure} />
          <div className="form-actions">
            <button type="submit" disabled={save.pending}>
              {t('payments.admin.save')}
            </button>
          </div>
          {saved ? (
            <p role="status" className="muted">
              {t('payments.admin.saved')}
            </p>
          ) : null}
        </form>
      )}
    </section>
  );
}
