/** The message kinds that are more than text or a file: locations, contacts, replies, orders, templates. */
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type {
  ContactsContent,
  InteractiveReplyContent,
  LocationContent,
  OrderContent,
  SystemContent,
  TemplateContent,
} from '../../../common/messages/message-content.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { JudgedUrl, LinkButton, useOpenLink } from './LinkedText.js';
import { useLocale } from '../../i18n/use-locale.js';

/** In place of a value that could not be read (the message's note says which). */
const UNKNOWN = '—';

export function LocationView({ content }: { content: z.infer<typeof LocationContent> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const openLink = useOpenLink();
  const coordinates = new Intl.NumberFormat(locale, { maximumFractionDigits: 5 });
  const { latitude, longitude } = content;
  // Coordinates are missing only when they could not be read: then there is no map to open.
  const mapUrl =
    latitude === undefined || longitude === undefined
      ? undefined
      : `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
  return (
    <div className="structured location">
      <p className="structured-title">{content.name ?? t('messageType.location')}</p>
      {content.address === undefined ? null : <p>{content.address}</p>}
      {mapUrl === undefined ? null : (
        <p className="muted">
          {coordinates.format(latitude ?? 0)}, {coordinates.format(longitude ?? 0)}
        </p>
      )}
      <p>
        {mapUrl === undefined ? null : (
          <LinkButton url={mapUrl} onOpen={(url) => void openLink.run(url)}>
            {t('location.openMap')}
          </LinkButton>
        )}
        {content.url === undefined ? null : (
          <>
            {mapUrl === undefined ? null : ' · '}
            <JudgedUrl url={content.url} onOpen={(url) => void openLink.run(url)} />
          </>
        )}
      </p>
      <ErrorNotice problem={openLink.failure} />
    </div>
  );
}

export function ContactsView({ content }: { content: z.infer<typeof ContactsContent> }) {
  const { t } = useTranslation();
  return (
    <ul className="structured contacts" aria-label={t('messageType.contacts')}>
      {content.contacts.map((contact, index) => (
        <li key={index} className="shared-contact">
          <p className="structured-title">{contact.formattedName}</p>
          {contact.organization === undefined ? null : <p className="muted">{contact.organization}</p>}
          {contact.phones.map((phone) => (
            <p key={phone.phone}>
              {phone.type === undefined ? null : <span className="muted">{phone.type}: </span>}
              {phone.phone}
            </p>
          ))}
          {contact.emails.map((email) => (
            <p key={email.email}>{email.email}</p>
          ))}
        </li>
      ))}
    </ul>
  );
}

export function InteractiveReplyView({ content }: { content: z.infer<typeof InteractiveReplyContent> }) {
  const { t } = useTranslation();
  if (content.replyType === 'nfm_reply') {
    return (
      <div className="structured">
        <p className="structured-label">{content.flowName === undefined ? t('interactive.flow') : t('interactive.flowNamed', { name: content.flowName })}</p>
        {content.body === undefined ? null : <p>{content.body}</p>}
        {content.flowResponseJson === undefined ? null : (
          <details>
            <summary>{t('interactive.flowAnswers')}</summary>
            <pre className="flow-json">{content.flowResponseJson}</pre>
          </details>
        )}
      </div>
    );
  }
  return (
    <div className="structured">
      <p className="structured-label">{t(content.replyType === 'button_reply' ? 'interactive.button' : 'interactive.list')}</p>
      <p className="structured-title">{content.title ?? content.replyId ?? ''}</p>
      {content.description === undefined ? null : <p className="muted">{content.description}</p>}
    </div>
  );
}

export function OrderView({ content }: { content: z.infer<typeof OrderContent> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const money = (amount: number | undefined, currency: string | undefined) =>
    amount === undefined
      ? UNKNOWN
      : currency === undefined
        ? new Intl.NumberFormat(locale).format(amount)
        : new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  const currency = content.items[0]?.currency;
  // A quantity, price or currency missing (it could not be read) leaves the total unknown.
  const complete = content.items.every((item) => item.currency === currency && item.quantity !== undefined && item.itemPrice !== undefined);
  const total = content.items.reduce((sum, item) => sum + (item.itemPrice ?? 0) * (item.quantity ?? 0), 0);
  return (
    <div className="structured order">
      <p className="structured-label">{t('order.title', { count: content.items.length })}</p>
      <table className="order-items">
        <thead>
          <tr>
            <th scope="col">{t('order.product')}</th>
            <th scope="col">{t('order.quantity')}</th>
            <th scope="col">{t('order.price')}</th>
          </tr>
        </thead>
        <tbody>
          {content.items.map((item, index) => (
            <tr key={index}>
              <td>{item.productRetailerId}</td>
              <td>{item.quantity ?? UNKNOWN}</td>
              <td>{money(item.itemPrice, item.currency)}</td>
            </tr>
          ))}
        </tbody>
        {complete && currency !== undefined ? (
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('order.total')}
              </th>
              <td>{money(total, currency)}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
      {content.text === undefined ? null : <p>{content.text}</p>}
    </div>
  );
}

export function SystemNotice({ content }: { content: z.infer<typeof SystemContent> }) {
  const { t } = useTranslation();
  const text =
    content.systemType === 'user_changed_number' && content.newWaId !== undefined
      ? t('system.changedNumber', { number: `+${content.newWaId}` })
      : (content.body ?? t('system.other', { type: content.systemType }));
  return <p className="system-notice">{text}</p>;
}

/** The body variables of a template, in order, as the customer received them. */
function templateBodyTexts(content: z.infer<typeof TemplateContent>): string[] {
  const body = content.components.find((component) => component.type.toLowerCase() === 'body');
  return (body?.parameters ?? []).map((parameter) => (typeof parameter.text === 'string' ? parameter.text : `[${parameter.type}]`));
}

export function TemplateView({ content }: { content: z.infer<typeof TemplateContent> }) {
  const { t } = useTranslation();
  const parameters = templateBodyTexts(content);
  return (
    <div className="structured template">
      <p className="structured-label">{t('template.sent', { name: content.name, language: content.languageCode })}</p>
      {parameters.length === 0 ? null : (
        <ol className="template-parameters" aria-label={t('template.parameters')}>
          {parameters.map((text, index) => (
            <li key={index}>{text}</li>
          ))}
        </ol>
      )}
    </div>
  );
}
