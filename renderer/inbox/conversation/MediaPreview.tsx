/**
 * A message's file. Images and stickers are fetched through main (getMedia) and shown from a
 * blob: URL, released when the message leaves the screen. Other kinds show as a file card: the
 * CSP has no media-src, so audio and video cannot play inside the renderer.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../common/api/inbox.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatBytes } from './format-bytes.js';
import { useLocale } from '../../i18n/use-locale.js';
import { useSafetyPolicy } from '../safety/safety-policy-context.js';

type MediaInfo = NonNullable<MessageView['media']>;

const PREVIEWABLE_KINDS = new Set(['image', 'sticker']);

type Preview = { readonly url: string } | { readonly failure: IpcFailure } | null;

function useImagePreview(mediaId: number, enabled: boolean): Preview {
  const [preview, setPreview] = useState<Preview>(null);
  useEffect(() => {
    if (!enabled) return;
    let url: string | null = null;
    let current = true;
    void settle(window.sportello.getMedia({ mediaId })).then((result) => {
      if (!current) return;
      if (!result.ok) {
        setPreview({ failure: result });
        return;
      }
      if (!result.value.mimeType.startsWith('image/')) return;
      url = URL.createObjectURL(new Blob([result.value.bytes.slice()], { type: result.value.mimeType }));
      setPreview({ url });
    });
    return () => {
      current = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [mediaId, enabled]);
  return preview;
}

function FileCard({ media, filename }: { media: MediaInfo; filename: string | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const name = media.filename ?? filename ?? t(`messageType.${media.kind}`, { defaultValue: t('messageType.document') });
  return (
    <div className="file-card">
      <span className="file-kind">{t(`messageType.${media.kind}`, { defaultValue: t('messageType.document') })}</span>
      <span className="file-name">{name}</span>
      <span className="file-meta">
        {media.mimeType}
        {media.size === null ? '' : ` · ${formatBytes(media.size, locale)}`}
      </span>
    </div>
  );
}

/**
 * Why the server keeps this file closed (issue 13), as the attachment card says it: quarantined
 * (infected), refused by its bytes (with the byte check's reason), still being scanned, or
 * unscanned while the safety policy opens only files with a clean scan. Undefined: it may open.
 */
function closedBecause(media: MediaInfo, refuseUnscanned: boolean): { key: string; reason?: string; busy?: boolean } | undefined {
  switch (media.scan) {
    case 'infected':
      return { key: 'media.quarantined' };
    case 'refused':
      return { key: 'media.refused', ...(media.scanReason === null ? {} : { reason: media.scanReason }) };
    case 'scanning':
      return { key: 'media.scanning', busy: true };
    case 'unscanned':
      return refuseUnscanned ? { key: 'media.unscannedClosed' } : undefined;
    default:
      return undefined;
  }
}

export function MediaPreview({ media, filename, alt }: { media: MediaInfo; filename?: string; alt: string }) {
  const { t } = useTranslation();
  const policy = useSafetyPolicy();
  const closed = closedBecause(media, policy.attachments.refuseFilesWithoutCleanScan);
  const previewable = PREVIEWABLE_KINDS.has(media.kind) && media.state === 'stored' && closed === undefined;
  const preview = useImagePreview(media.id, previewable);
  if (closed !== undefined) {
    return (
      <>
        <FileCard media={media} filename={filename} />
        <p className={`media-state media-closed ${closed.busy === true ? 'busy' : ''}`} data-testid="media-closed" data-scan={media.scan ?? ''}>
          {t(closed.key)}
          {closed.reason === undefined ? null : ` ${t(`errors.${closed.reason}`, { defaultValue: '' })}`}
        </p>
      </>
    );
  }
  if (media.state !== 'stored') {
    return (
      <>
        <FileCard media={media} filename={filename} />
        <p className={`media-state ${media.state === 'pending' ? 'busy' : ''}`}>{t(media.state === 'pending' ? 'media.pending' : 'media.failed')}</p>
      </>
    );
  }
  if (!previewable) return <FileCard media={media} filename={filename} />;
  if (preview === null) {
    return (
      <p className={`media-placeholder media-${media.kind}`} role="status">
        {t('media.loading')}
      </p>
    );
  }
  if ('failure' in preview) {
    return (
      <>
        <FileCard media={media} filename={filename} />
        <ErrorNotice problem={preview.failure} />
      </>
    );
  }
  return <img className={`media-image media-${media.kind}`} src={preview.url} alt={alt} />;
}
