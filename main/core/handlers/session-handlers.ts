/** The calls of the screens before and around the inbox: what shows, pairing, enrollment, sign-in, lock and logout. */
import { CodedError, isCodedError } from '../../../common/errors/coded-error.js';
import type { UiError } from '../../../common/ipc/app-state.js';
import { uiError } from '../ui-error.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type SessionCall =
  | 'getState'
  | 'getInfo'
  | 'getConnection'
  | 'startPairing'
  | 'retry'
  | 'startEnrollment'
  | 'confirmEnrollment'
  | 'finishEnrollment'
  | 'login'
  | 'unlock'
  | 'lock'
  | 'logout';

export function sessionHandlers(core: CoreContext): HandlerTable<SessionCall> {
  const { machine } = core.platform;
  return {
    getState: () => Promise.resolve(core.state()),
    getInfo: () => Promise.resolve({ osLocale: machine.osLocale(), appVersion: machine.appVersion(), platform: machine.platform() }),
    getConnection: () => Promise.resolve(core.connection()),
    startPairing: async () => {
      core.require(['unpaired']);
      const refused = core.device.noMachineId;
      if (refused !== undefined) throw refused;
      await core.device.startPairing();
      return core.state();
    },
    retry: async () => {
      core.require(['offline', 'update_required']);
      core.setState({ screen: 'starting' });
      await core.device.check();
      return core.state();
    },
    startEnrollment: async (request) => {
      core.require(['signed_out', 'enrolling']);
      const started = await core
        .api()
        .startEnrollment(request)
        .catch((error: unknown) => {
          core.reactToServerError(error);
          throw error;
        });
      core.enrollment.begin(request.username, started);
      showAuthenticator(core, null);
      return core.state();
    },
    confirmEnrollment: async ({ code }) => {
      const step = core.enrollment.authenticator;
      if (step === undefined || core.state().screen !== 'enrolling') throw new CodedError('not_enrolling', 'Start the enrollment with your code first.');
      try {
        const completed = await core.api().confirmEnrollment(step.enrollmentId, code);
        core.enrollment.confirmed(completed.session);
        core.setState({ screen: 'enrolling', step: 'recovery_codes', username: step.username, recoveryCodes: completed.recoveryCodes });
      } catch (error) {
        if (core.outdated(error)) throw error;
        if (isCodedError(error) && error.code === 'totp_code_wrong') showAuthenticator(core, uiError(error));
        else if (isCodedError(error) && (error.code === 'enrollment_failed' || error.code === 'enrollment_not_pending')) core.signedOut(uiError(error));
        throw error;
      }
      return core.state();
    },
    finishEnrollment: async () => {
      if (!core.enrollment.hasGrant || core.state().screen !== 'enrolling')
        throw new CodedError('not_enrolling', 'There is no finished enrollment to continue from.');
      const grant = core.enrollment.takeGrant();
      if (grant !== undefined) await core.enterInbox(grant);
      return core.state();
    },
    login: async (request) => {
      core.require(['signed_out']);
      try {
        await core.enterInbox(await core.api().login(request));
      } catch (error) {
        core.reactToServerError(error);
        if (core.state().screen === 'signed_out') core.signedOut(uiError(error));
        throw error;
      }
      return core.state();
    },
    unlock: async ({ secondFactor }) => {
      core.require(['locked']);
      const session = core.session();
      if (session === undefined) throw new CodedError('signed_out', 'Sign in first.');
      try {
        await session.call((token) => core.api().unlock(token, secondFactor));
      } catch (error) {
        const state = core.state();
        if (state.screen === 'locked' && core.session() === session) core.setState({ ...state, problem: uiError(error) });
        throw error;
      }
      core.showInbox();
      // The renderer was blind while locked: it reloads what it shows.
      core.emit('inbox', { type: 'resync', lastSeq: session.feedPosition });
      return core.state();
    },
    lock: () => {
      core.require(['inbox', 'locked']);
      core.lock('manual');
      return Promise.resolve(core.state());
    },
    logout: async () => {
      core.require(['inbox', 'locked', 'briefing']);
      await core.logout();
      return core.state();
    },
  };
}

function showAuthenticator(core: CoreContext, problem: UiError | null): void {
  const screen = core.enrollment.authenticatorScreen(problem);
  if (screen !== undefined) core.setState(screen);
}
