/** Severities as in Meshery, most severe first. */
export const severities = ['emergency', 'alert', 'critical', 'error', 'warning', 'informational', 'debug', 'success'] as const;
export type Severity = (typeof severities)[number];

/** error and worse: these also raise a VS Code notification. */
export const alarmingSeverities: readonly Severity[] = ['emergency', 'alert', 'critical', 'error'];

export type EventStatus = 'read' | 'unread';

export interface MesheryEvent {
  readonly id: string;
  /** Groups the events of one user operation (e.g. a registration and its connectivity test). */
  readonly operationId: string;
  readonly category: string;
  readonly action: string;
  readonly description: string;
  readonly severity: Severity;
  readonly status: EventStatus;
  /** The id of what the operation acted upon (a connection, a cluster, a file). */
  readonly actedUpon: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export interface NewEvent {
  readonly category: string;
  readonly action: string;
  readonly description: string;
  readonly severity: Severity;
  readonly operationId?: string;
  readonly actedUpon?: string;
  readonly metadata?: Record<string, unknown>;
}

export interface EventFilter {
  readonly severities?: readonly Severity[];
  readonly categories?: readonly string[];
  readonly actions?: readonly string[];
  readonly status?: EventStatus;
  /** Case-insensitive substring of description, category, action or actedUpon. */
  readonly text?: string;
  readonly actedUpon?: string;
  /** The events of one user operation (a registration, its test and its status change). */
  readonly operationId?: string;
}

export interface EventPage {
  readonly limit: number;
  readonly offset?: number;
}

export type EventChange =
  | { readonly kind: 'added'; readonly events: readonly MesheryEvent[] }
  | { readonly kind: 'updated'; readonly ids: readonly string[] }
  | { readonly kind: 'removed'; readonly ids: readonly string[] }
  /** Many rows changed at once (another window's save merged in, a clear): re-read everything. */
  | { readonly kind: 'reset' };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (severities as readonly string[]).includes(value);
}
