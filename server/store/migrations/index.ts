import type { Migration } from 'kysely';
import * as inbox from './0001-inbox.js';
import * as identity from './0003-identity.js';
import * as feedAssignment from './0004-feed-assignment.js';
import * as pairingSources from './0008-pairing-sources.js';

/**
 * Every migration, in order. Names are sortable and never change once released; a migration
 * that has run is never edited, a new one is added instead.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-inbox': inbox,
  '0003-identity': identity,
  '0004-feed-assignment': feedAssignment,
  '0008-pairing-sources': pairingSources,
};
