import { Connection, Environment } from '../core/connections/types';
import { UsageError } from './args';

/**
 * What a user types to name a connection or an environment: its id, a unique beginning of its id
 * (at least 4 characters, as `docker` takes them), or its exact name (case-insensitive) when unique.
 */
function resolve<T extends { id: string; name: string }>(what: string, items: readonly T[], reference: string): T {
  const exact = items.find((i) => i.id === reference);
  if (exact) return exact;
  const byPrefix = reference.length >= 4 ? items.filter((i) => i.id.startsWith(reference)) : [];
  const byName = items.filter((i) => i.name.toLowerCase() === reference.toLowerCase());
  const matches = [...new Set([...byPrefix, ...byName])];
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new UsageError(`there is no ${what} "${reference}"`);
  throw new UsageError(`"${reference}" names ${matches.length} ${what}s (${matches.map((m) => `${m.id} ${m.name}`).join('; ')}); give the id`);
}

/** Deleted connections are final and are not named again. */
export function findConnection(connections: readonly Connection[], reference: string): Connection {
  return resolve('connection', connections.filter((c) => c.status !== 'deleted' || c.id === reference), reference);
}

export function findEnvironment(environments: readonly Environment[], reference: string): Environment {
  return resolve('environment', environments, reference);
}
