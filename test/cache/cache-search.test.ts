/**
 * Search in the local cache, as the search box asks it: contacts by any part of a name or number
 * (either may be missing), messages with accents ignored and who wrote them, the matched words
 * marked, and only conversations the agent may see.
 */
import crypto from 'node:crypto';
import { teamViewer } from '../helpers/cache-rows.js';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const AGENT = teamViewer(7, 'agent');
const SUPERVISOR = teamViewer(9, 'supervisor');

const temp = makeTempDir('sportello-search-');
const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
secrets.keepShare(crypto.randomBytes(32), Date.now() + 3_600_000, AGENT.agentId);
const cache = openWorkstationCache(temp.dir, secrets, Date.now);
afterAll(() => {
  cache.close();
  temp.remove();
});

const customer = (id: number, name: string | null, phone: string | null) => ({ contactId: id, name, phone, username: null });
cache.inbox.storePage(
  {
    conversations: [
      conversationView(1, { customer: customer(1, 'Giulia Rossi', null) }),
      conversationView(2, { customer: customer(2, null, '393471234567') }),
      conversationView(3, { customer: customer(3, 'Giulio Neri', '393470000000'), assignedAgentId: AGENT.agentId }),
      conversationView(4, { customer: customer(4, 'Giuliano Verdi', '393479999999'), assignedAgentId: 8 }),
    ],
    messages: [
      textMessageView(10, 1, 'Il pacco è arrivato ROTTO'),
      textMessageView(11, 2, 'perché non arriva?'),
      textMessageView(12, 3, 'Le spiego perché', { direction: 'outbound', origin: 'agent', status: 'read', sentByAgentId: AGENT.agentId }),
      textMessageView(13, 4, 'Perché tanto ritardo?'),
    ],
  },
  1,
);

const marked = (fragments: ReadonlyArray<{ text: string; match: boolean }>) => fragments.filter((fragment) => fragment.match).map((fragment) => fragment.text);

describe('searching the cache', () => {
  it('finds contacts by part of a name or number, whichever of the two they have', () => {
    const byName = cache.inbox.search(AGENT, 'giul', 10);
    expect(byName.map((hit) => [hit.kind, hit.conversationId, hit.title]).sort()).toEqual([
      ['contact', 1, 'Giulia Rossi'],
      ['contact', 3, 'Giulio Neri'],
    ]);
    // FTS5 marks the whole word a typed prefix matched.
    expect(byName.map((hit) => marked(hit.fragments)).sort()).toEqual([['Giulia'], ['Giulio']]);
    const byNumber = cache.inbox.search(AGENT, '3934712', 10);
    expect(byNumber).toEqual([
      {
        kind: 'contact',
        conversationId: 2,
        messageId: null,
        noteId: null,
        sentAt: null,
        direction: null,
        title: '393471234567',
        fragments: [{ text: '393471234567', match: true }],
      },
    ]);
  });

  it('finds messages with accents ignored, newest first, saying who wrote them', () => {
    const hits = cache.inbox.search(AGENT, 'perche', 10);
    expect(hits.map((hit) => [hit.messageId, hit.direction, hit.title, marked(hit.fragments)])).toEqual([
      [12, 'outbound', 'Giulio Neri', ['perché']],
      [11, 'inbound', '393471234567', ['perché']],
    ]);
    expect(cache.inbox.search(AGENT, 'rotto arriv', 10).map((hit) => marked(hit.fragments))).toEqual([['arrivato', 'ROTTO']]);
  });

  it('leaves out conversations assigned to another agent, which a supervisor sees', () => {
    expect(cache.inbox.search(AGENT, 'verdi', 10)).toEqual([]);
    expect(cache.inbox.search(AGENT, 'tanto ritardo', 10)).toEqual([]);
    expect(cache.inbox.search(SUPERVISOR, 'verdi', 10).map((hit) => hit.conversationId)).toEqual([4]);
    expect(cache.inbox.search(SUPERVISOR, 'tanto ritardo', 10).map((hit) => hit.messageId)).toEqual([13]);
  });
});
