import { useTranslation } from 'react-i18next';
import type { UiError } from '../../common/ipc/app-state.js';
import { useAction } from '../api/use-action.js';
import { useShowState } from '../app/app-state-context.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GroupedCode } from '../components/GroupedCode.js';
import { ScreenCard } from '../components/ScreenCard.js';

/**
 * Not paired: the machine ID IT registers, and the button that asks the server for a pairing.
 * Without a machine ID (the OS gives none) there is nothing to register and nothing to ask: the
 * problem says what IT must do.
 */
export function UnpairedScreen({ machineId, hostname, problem }: { machineId: string | null; hostname: string; problem: UiError | null }) {
  const { t } = useTranslation();
  const pair = useAction(() => window.sportello.startPairing({}), useShowState());
  return (
    <ScreenCard title={t('unpaired.title')}>
      <p>{machineId === null ? t('unpaired.explanationNoMachineId') : t('unpaired.explanation')}</p>
      <dl className="facts">
        <dt>{t('unpaired.hostname')}</dt>
        <dd>{hostname}</dd>
        <dt>{t('unpaired.machineId')}</dt>
        <dd>{machineId === null ? t('unpaired.noMachineId') : <GroupedCode value={machineId} groupSize={8} className="selectable machine-id" />}</dd>
      </dl>
      {machineId === null ? null : <p className="muted">{t('unpaired.machineIdHint')}</p>}
      <ErrorNotice problem={pair.failure ?? problem} />
      {machineId === null ? null : (
        <div className="actions">
          <button type="button" className="button-primary" onClick={() => void pair.run()} disabled={pair.pending}>
            {t('unpaired.pair')}
          </button>
        </div>
      )}
    </ScreenCard>
  );
}
