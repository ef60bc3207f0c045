/**
 * An agent's roles as the store keeps them (migration 0013): the roles held, in ROLES order,
 * joined by commas. Read back leniently: an unknown word (a row written by hand) grants nothing.
 */
import { canonicalRoles, ROLES } from '../../common/api/session.js';
import type { Role } from '../../common/api/session.js';

export function storedRoles(roles: Iterable<Role>): string {
  return canonicalRoles(roles).join(',');
}

export function rolesOf(stored: string): Role[] {
  const words = new Set(stored.split(',').map((word) => word.trim()));
  return ROLES.filter((role) => words.has(role));
}
