import { SqlValue } from '../store/store';
import { EventFilter } from './types';

/** Turns a filter into a WHERE clause with bound parameters (never string-built values). */
export function eventWhereClause(filter: EventFilter): { where: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const oneOf = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) {
      return;
    }
    if (values.length === 0) {
      clauses.push('0');
      return;
    }
    clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  oneOf('severity', filter.severities);
  oneOf('category', filter.categories);
  oneOf('action', filter.actions);
  if (filter.status) {
    clauses.push('status = ?');
    params.push(filter.status);
  }
  if (filter.actedUpon !== undefined) {
    clauses.push('acted_upon = ?');
    params.push(filter.actedUpon);
  }
  if (filter.operationId !== undefined) {
    clauses.push('operation_id = ?');
    params.push(filter.operationId);
  }
  const text = filter.text?.trim();
  if (text) {
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    clauses.push(
      "(lower(description) LIKE ? ESCAPE '\\' OR lower(category) LIKE ? ESCAPE '\\' OR lower(action) LIKE ? ESCAPE '\\' OR lower(coalesce(acted_upon, '')) LIKE ? ESCAPE '\\')",
    );
    params.push(pattern, pattern, pattern, pattern);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
