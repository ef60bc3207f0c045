/**
 * Every error code that can reach the agent has words of its own in English and in Italian, so an
 * Italian desk never reads the server's English message. The codes are collected from where they
 * are made, not from a list kept by hand: the client API's status map (server/api/api-errors.ts),
 * every coded error constructed in main/, server/ and common/ (CodedError and each subclass of it),
 * and the `{ code, message }` values main, the preload and the renderer build in place. A code that
 * cannot reach the renderer is named below with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppState } from '../../common/ipc/app-state.js';
import { ERROR_STATUS } from '../../server/api/api-errors.js';
import { PROJECT_ROOT } from './harness/build-renderer.js';
import { readCatalogue } from './harness/catalogue.js';

/**
 * Whole surfaces that never answer the desktop app: the admin CLI prints its errors to an
 * administrator at a terminal, and the phone approval page words its own (page-strings.ts).
 */
const OTHER_SURFACES = ['server/admin-cli', 'server/approval-page'];

/** Codes made in the scanned folders that never reach the renderer, and why. */
const NOT_FOR_THE_RENDERER: Readonly<Record<string, string>> = {
  config_invalid: 'the server refuses to start with a bad configuration; it prints this to whoever started it',
  metrics_port_in_use: 'the server refuses to start when its metrics port is taken',
  store_migration_failed: 'the server refuses to start when its database cannot be migrated',
  server_key_invalid: 'the server refuses to start without a usable server key',
  api_contract_mismatch: 'the server refuses to start when a contract route has no handler, or a handler no route',
  request_path_incomplete: "a programming error in main's ServerApi (a path parameter left out), which the contract test catches; never a server's answer",
  secret_store_changed: 'shown in a native dialog (main/desktop-text) before any window exists, and the app quits',
  secret_store_record_unreadable: 'shown in a native dialog (main/desktop-text) before any window exists, and the app quits',
  audit_checkpoint_unreadable: 'read by the audit checkpointer at start and by `audit verify`, never in a request',
  audit_key_missing: 'a wiring invariant: the server builds its audit committer with the key before it listens',
  graph_api_error: "Meta's answer to the server's background sender; the agent reads Meta's reason on the message's delivery status",
  media_url_refused: "the background download of a customer's file; a failure is recorded on the media, not sent to a client",
  media_checksum_mismatch: "the background download of a customer's file",
  media_empty: "the background download of a customer's file",
  media_id_missing: "the background download of a customer's file",
  download_interrupted: "the background download's retry verdict",
  media_number_cannot_fetch: "the background download of a customer's file, when its business number has no usable token",
  media_name_invalid: 'an invariant of the media store: the server names each file by the SHA-256 it computes itself',
  upgrade_required: 'answered only to a plain HTTP GET of the event route; the app opens it as a WebSocket, whose failures it reports itself',
  custom: "zod's issue code in a schema refinement, not an error code",
  job_kind_invalid: 'a feature registering a kind of job at start-up with a malformed name or no attempts: the server does not start',
  store_closed: 'a background task writing after the server began to stop; requests in flight are answered before the committer closes',
  backup_dir_missing: "the admin CLI and the server's daily backup, never a request",
  backup_not_found: 'the admin CLI (`backup verify|restore`), never a request',
  backup_key_wrong: 'the admin CLI (`backup verify|restore`), never a request',
  backup_tampered: 'the admin CLI (`backup verify|restore`), never a request',
  backup_truncated: 'the admin CLI (`backup verify|restore`), never a request',
  restore_target_not_empty: 'the admin CLI (`backup restore`), never a request',
  backup_tool_failed: 'pg_dump or pg_restore failing under the admin CLI or the daily backup, never a request',
  ipc_forbidden_sender: "answered to a frame that is not the app's window (the one renderer that has the catalogues never gets it)",
};

const SCANNED = ['main', 'server', 'common', 'preload', 'renderer'];

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (OTHER_SURFACES.includes(relative)) return [];
    if (entry.isDirectory()) return sourcesUnder(relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

const sources = new Map(SCANNED.flatMap(sourcesUnder).map((file) => [file, fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')]));

/** CodedError and every class that extends it, however many steps down. */
function codedErrorClasses(): Set<string> {
  const classes = new Set(['CodedError']);
  const declarations = [...sources.values()].flatMap((text) =>
    [...text.matchAll(/class (\w+) extends (\w+)/g)].map((match) => [match[1] ?? '', match[2] ?? ''] as const),
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, parent] of declarations) {
      if (classes.has(parent) && !classes.has(name)) {
        classes.add(name);
        grew = true;
      }
    }
  }
  return classes;
}

/** code → the files that make it. */
function codesInSources(): Map<string, Set<string>> {
  const classes = [...codedErrorClasses()].join('|');
  const patterns = [
    // new SendError('template_required', …), over one line or several
    new RegExp(`new (?:${classes})\\(\\s*'([a-z_]+)'`, 'g'),
    // a subclass that fixes its code: super('password_too_weak', …)
    /\bsuper\(\s*'([a-z_]+)'/g,
    // a UiError or IPC failure built in place: { code: 'pairing_rejected', message: … }
    /\bcode: '([a-z_]+)',\s*message:/g,
    // a server answer without a code of its own: new ServerError(status, 'server_error', …)
    /new ServerError\([^,]+,\s*'([a-z_]+)'/g,
  ];
  const found = new Map<string, Set<string>>();
  for (const [file, text] of sources) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const code = match[1] ?? '';
        found.set(code, (found.get(code) ?? new Set()).add(file));
      }
    }
  }
  return found;
}

const madeInSources = codesInSources();
const apiCodes = Object.keys(ERROR_STATUS);
const reachingTheRenderer = [...new Set([...apiCodes, ...madeInSources.keys()])].filter((code) => !Object.hasOwn(NOT_FOR_THE_RENDERER, code)).sort();

type RevokedScreen = Extract<(typeof AppState.options)[number], { shape: { screen: z.ZodLiteral<'revoked'> } }>;

function errorWords(language: 'en' | 'it'): Readonly<Record<string, unknown>> {
  return readCatalogue(language).errors as Readonly<Record<string, unknown>>;
}

describe('every error code that reaches the agent', () => {
  it('is found where it is made (the scan sees the codes issue 9 added)', () => {
    for (const code of [
      'login_busy',
      'attachment_is_program',
      'machine_id_unavailable',
      'pairing_requests_pending',
      'client_outdated',
      'pairing_failed',
      'ipc_unavailable',
      'cache_key_wrong',
    ]) {
      expect(reachingTheRenderer).toContain(code);
    }
    expect(reachingTheRenderer.length).toBeGreaterThan(90);
  });

  it('has words in English and in Italian, and the Italian is not the English', () => {
    const english = errorWords('en');
    const italian = errorWords('it');
    const worded = (words: Readonly<Record<string, unknown>>, code: string) => {
      const text = words[code];
      return typeof text === 'string' && text.trim() !== '';
    };
    expect(reachingTheRenderer.filter((code) => !worded(english, code))).toEqual([]);
    expect(reachingTheRenderer.filter((code) => !worded(italian, code))).toEqual([]);
    expect(reachingTheRenderer.filter((code) => english[code] === italian[code])).toEqual([]);
  });

  it('is left out only when it cannot reach the renderer: no client API code, and each exclusion is still made somewhere', () => {
    expect(Object.keys(NOT_FOR_THE_RENDERER).filter((code) => apiCodes.includes(code))).toEqual([]);
    expect(Object.keys(NOT_FOR_THE_RENDERER).filter((code) => !madeInSources.has(code))).toEqual([]);
  });

  it('includes the reasons the revoked screen words itself', () => {
    const revoked = AppState.options.find((option): option is RevokedScreen => option.shape.screen.value === 'revoked');
    const reasonCodes: readonly string[] = revoked?.shape.reasonCode.unwrap().options ?? [];
    expect(reasonCodes.length).toBeGreaterThan(0);
    for (const language of ['en', 'it'] as const) {
      const reasons = (readCatalogue(language).revoked as Readonly<Record<string, unknown>>).reasons as Readonly<Record<string, unknown>>;
      expect(reasonCodes.filter((code) => typeof reasons[code] !== 'string')).toEqual([]);
    }
  });
});
