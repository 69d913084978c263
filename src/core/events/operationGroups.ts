import { MesheryEvent, Severity, severities } from './types';

/** The events of one operation shown together: newest first, as in the list they came from. */
export interface OperationGroup {
  readonly operationId: string;
  readonly events: readonly MesheryEvent[];
}

/**
 * Groups a newest-first page of events by operation. Each group sits where its newest event
 * was, so the list stays in time order; an operation with one event is a group of one.
 */
export function groupByOperation(events: readonly MesheryEvent[]): OperationGroup[] {
  const groups = new Map<string, MesheryEvent[]>();
  for (const event of events) {
    const group = groups.get(event.operationId);
    if (group) group.push(event);
    else groups.set(event.operationId, [event]);
  }
  return [...groups].map(([operationId, grouped]) => ({ operationId, events: grouped }));
}

/**
 * The severity an operation is shown with: its worst problem (a registration whose test failed
 * is an error), else how it ended (its newest event: a success, or information).
 */
export function operationSeverity(group: OperationGroup): Severity {
  const rank = (s: Severity) => severities.indexOf(s);
  const worst = group.events.reduce((a, e) => (rank(e.severity) < rank(a) ? e.severity : a), group.events[0].severity);
  return rank(worst) <= rank('warning') ? worst : group.events[0].severity;
}
