/**
 * The numbers this server serves, in memory: for each, its app secret, a Graph client holding its
 * token, and its health. Loaded from `business_numbers` at start and read again every few seconds
 * (`start`), so what the admin CLI changes from its own process reaches the running server
 * without a restart. Tokens and secrets are opened here and stay in this process's memory: never
 * logged, never in a response.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { ChannelHealth } from '../cloud-api/channel-health.js';
import { GraphClient } from '../cloud-api/graph-client.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { BusinessNumberRow, InboxDatabase } from '../store/schema.js';
import { openNumberSecret } from './number-secrets.js';

export interface NumberLine {
  readonly phoneNumberId: string;
  readonly wabaId: string | null;
  readonly displayName: string;
  /** The secret its app signs webhooks with. */
  readonly appSecret: string;
  /** Undefined: no token yet (a number carried over from before 0012), or one that cannot be opened. */
  readonly graph: GraphClient | undefined;
  readonly health: ChannelHealth;
}

/** Why a signed webhook's number is not one this server applies. */
export type UnknownNumberReason = 'not_configured' | 'other_app';

export interface BusinessNumbersDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  /** WHATSAPP_APP_SECRET: the app of every number without one of its own. */
  readonly defaultAppSecret: string;
  readonly graphApi: { readonly graphApiUrl: string; readonly graphApiVersion: string };
  readonly metrics: ServerMetrics;
  readonly log: Logger;
}

export class BusinessNumbers {
  readonly #deps: BusinessNumbersDeps;
  #lines = new Map<string, { line: NumberLine; sealedToken: string | null; sealedAppSecret: string | null }>();
  #appSecrets: readonly string[] = [];
  readonly #listeners: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  private constructor(deps: BusinessNumbersDeps) {
    this.#deps = deps;
  }

  static async load(deps: BusinessNumbersDeps): Promise<BusinessNumbers> {
    const numbers = new BusinessNumbers(deps);
    await numbers.refresh();
    return numbers;
  }

  line(phoneNumberId: string): NumberLine | undefined {
    return this.#lines.get(phoneNumberId)?.line;
  }

  get size(): number {
    return this.#lines.size;
  }

  lines(): NumberLine[] {
    return [...this.#lines.values()].map((entry) => entry.line);
  }

  /** Every distinct app secret: a webhook is authentic when one of them signed it. */
  appSecrets(): readonly string[] {
    return this.#appSecrets;
  }

  /** The number a webhook signed with `signedWith` may be applied to, or why not. */
  route(phoneNumberId: string, signedWith: string): { line: NumberLine } | { unknown: UnknownNumberReason } {
    const line = this.line(phoneNumberId);
    if (line === undefined) return { unknown: 'not_configured' };
    // One app's secret vouches for its own numbers only.
    if (line.appSecret !== signedWith) return { unknown: 'other_app' };
    return { line };
  }

  /** Called when a number's health or token changes (the dispatcher resumes a number that can send again). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Reads the table again every `intervalMs`. */
  start(intervalMs = 2000): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.#deps.log.error({ err: error }, 'business numbers could not be read again'));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const rows = await this.#deps.db.selectFrom('business_numbers').selectAll().orderBy('id').execute();
    const next = new Map<string, { line: NumberLine; sealedToken: string | null; sealedAppSecret: string | null }>();
    let changed = rows.length !== this.#lines.size;
    for (const row of rows) {
      const known = this.#lines.get(row.phone_number_id);
      if (known !== undefined && known.sealedToken === row.access_token_sealed && known.sealedAppSecret === row.app_secret_sealed) {
        const before = known.line.health.state;
        // A number whose token could not be opened stays unable to send until its row changes.
        if (known.line.graph !== undefined) known.line.health.observe(row.health_state, row.health_reason);
        if (known.line.displayName !== row.display_name || known.line.wabaId !== row.waba_id) {
          next.set(row.phone_number_id, { ...known, line: { ...known.line, displayName: row.display_name, wabaId: row.waba_id } });
        } else {
          next.set(row.phone_number_id, known);
        }
        changed ||= before !== row.health_state;
        continue;
      }
      next.set(row.phone_number_id, { line: this.#lineOf(row), sealedToken: row.access_token_sealed, sealedAppSecret: row.app_secret_sealed });
      changed = true;
    }
    this.#lines = next;
    this.#appSecrets = [...new Set(this.lines().map((line) => line.appSecret))];
    this.#updateMetrics();
    if (changed) for (const listener of this.#listeners) listener();
  }

  #lineOf(row: BusinessNumberRow): NumberLine {
    const { key, committer, defaultAppSecret, graphApi, log } = this.#deps;
    let token: string | undefined;
    let appSecret = defaultAppSecret;
    let state = row.health_state;
    let reason = row.health_reason;
    try {
      if (row.access_token_sealed !== null) token = openNumberSecret(key, row.phone_number_id, 'access-token', row.access_token_sealed);
      if (row.app_secret_sealed !== null) appSecret = openNumberSecret(key, row.phone_number_id, 'app-secret', row.app_secret_sealed);
    } catch (error) {
      token = undefined;
      state = 'no_token';
      reason = 'Its sealed token cannot be opened with this server key: set it again with "numbers rotate-token".';
      log.error({ phoneNumberId: row.phone_number_id, code: (error as { code?: string }).code }, 'a business number’s secrets cannot be opened');
    }
    if (token === undefined && state === 'ok') state = 'no_token';
    if (state === 'no_token' && reason === null) reason = 'This number has no access token yet: set one with "numbers rotate-token".';
    const health = new ChannelHealth(committer, { phoneNumberId: row.phone_number_id, sealedToken: row.access_token_sealed, state, reason }, () =>
      this.#healthChanged(),
    );
    return {
      phoneNumberId: row.phone_number_id,
      wabaId: row.waba_id,
      displayName: row.display_name,
      appSecret,
      graph: token === undefined ? undefined : new GraphClient({ ...graphApi, phoneNumberId: row.phone_number_id, accessToken: token }),
      health,
    };
  }

  #healthChanged(): void {
    this.#updateMetrics();
  }

  #updateMetrics(): void {
    const refused = this.lines().filter((line) => line.health.state === 'needs_reauthorization').length;
    this.#deps.metrics.channelNeedsReauthorization.set(refused);
    // Set afresh from the numbers served now: a removed number's label goes with it.
    this.#deps.metrics.numberCanSend.reset();
    for (const line of this.lines()) {
      this.#deps.metrics.numberCanSend.set({ phone_number_id: line.phoneNumberId }, line.health.state === 'ok' ? 1 : 0);
    }
  }
}
