import type { TFunction } from 'i18next';

/** "Photo", "Location", …: how a message without text is named in previews and quotes. */
export function messageTypeLabel(t: TFunction, type: string): string {
  return t(`messageType.${type}`, { defaultValue: t('messageType.other') });
}
