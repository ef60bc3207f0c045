/** The period's headline figures, one tile each: what a supervisor reads first. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Figures } from '../../common/analytics/analytics-report.js';
import type { FigureFormat } from './use-figure-format.js';

function Tile({ name, value, detail }: { name: string; value: string; detail?: ReactNode }) {
  return (
    <div className="figure-tile" role="group" aria-label={name}>
      <dt className="figure-name">{name}</dt>
      <dd className="figure-value">{value}</dd>
      {detail === undefined ? null : <dd className="figure-detail">{detail}</dd>}
    </div>
  );
}

export function FigureTiles({ figures, format }: { figures: Figures; format: FigureFormat }) {
  const { t } = useTranslation();
  const { firstResponse, resolution, answeredWithinTarget: target, waiting } = figures;
  return (
    <dl className="figure-tiles">
      <Tile
        name={t('analytics.figures.opened')}
        value={format.count(figures.conversationsOpened)}
        detail={t('analytics.figures.resolvedDetail', { resolved: format.count(figures.conversationsResolved) })}
      />
      <Tile
        name={t('analytics.figures.firstResponse')}
        value={format.duration(firstResponse.median)}
        detail={t('analytics.figures.p90Detail', { p90: format.duration(firstResponse.p90) })}
      />
      <Tile
        name={t('analytics.figures.resolution')}
        value={format.duration(resolution.median)}
        detail={t('analytics.figures.p90Detail', { p90: format.duration(resolution.p90) })}
      />
      <Tile
        name={t('analytics.figures.withinTarget')}
        value={format.share(target.share)}
        detail={t('analytics.figures.withinTargetDetail', { within: format.count(target.within), counted: format.count(target.counted) })}
      />
      <Tile
        name={t('analytics.figures.messages')}
        value={format.count(figures.messagesIn + figures.messagesOut)}
        detail={t('analytics.figures.messagesDetail', { in: format.count(figures.messagesIn), out: format.count(figures.messagesOut) })}
      />
      <Tile
        name={t('analytics.figures.waiting')}
        value={format.count(waiting.count)}
        detail={
          waiting.oldestWaitSeconds === null
            ? t('analytics.figures.nobodyWaits')
            : t('analytics.figures.oldestDetail', { wait: format.duration(waiting.oldestWaitSeconds) })
        }
      />
    </dl>
  );
}
