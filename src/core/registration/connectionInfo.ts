import { allowedTransitions } from '../connections/statusMachine';
import { Connection } from '../connections/types';
import { MesheryEvent } from '../events/types';
import { connectionDefinition } from '../registry/connectionDefinitions';
import { BoardRef, ConnectionInfo, DetailsInfo, TestView } from './protocol';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function boards(value: unknown): BoardRef[] {
  return Array.isArray(value)
    ? value
        .filter((b): b is BoardRef => !!b && typeof b === 'object' && typeof (b as BoardRef).uid === 'string')
        .map((b) => ({ uid: b.uid, title: String(b.title ?? b.uid), url: String(b.url ?? '') }))
    : [];
}

/** A connection as the panel shows it: what it is, where it was found, what it follows. Never a secret. */
export function connectionInfo(connection: Connection): ConnectionInfo {
  const m = connection.metadata as Record<string, unknown>;
  const settings = (m.settings ?? {}) as Record<string, unknown>;
  const found: { label: string; value: string }[] = [];
  const add = (label: string, value: unknown) => {
    if (typeof value === 'string' && value) found.push({ label, value });
    else if (typeof value === 'number') found.push({ label, value: String(value) });
  };
  if (m.manual) add('Found', 'added by hand');
  if (connection.kind === 'kubernetes') {
    add('Cluster identity (kube-system UID)', connection.clusterId);
    add('API server', m.server ?? connection.url);
    add('Context', m.context);
  } else {
    add('Cluster', m.context ? `${m.context} (${m.server ?? ''})` : undefined);
    add('Namespace', m.namespace);
    add('Service', m.name);
    add('Port', m.port);
    add('Protocol', connection.url.startsWith('https:') ? 'https' : connection.url.startsWith('http:') ? 'http' : undefined);
    add('In-cluster URL', m.inClusterUrl);
    add('Service proxy path', m.proxyPath);
  }
  const signals = strings(m.signals);
  if (signals.length) found.push({ label: 'Signals', value: signals.join('; ') });
  return {
    id: connection.id,
    name: connection.name,
    url: connection.url,
    kind: connection.kind,
    status: connection.status,
    component: connection.modelReference,
    skipTlsVerify: connection.skipTlsVerify,
    insecureCredentialAccepted: !!m.insecureCredentialAccepted,
    credentialId: connection.credentialId ?? null,
    environmentIds: connection.environments,
    metrics: strings(settings.metrics),
    boards: boards(settings.boards),
    namespaces: strings(settings.namespaces),
    found,
  };
}

/** The details page: the next statuses a user may choose (with their sentences), the last test, the event trail. */
export function detailsInfo(connection: Connection, events: readonly MesheryEvent[]): DetailsInfo {
  const definition = connectionDefinition(connection.kind);
  const last = connection.metadata.lastTest as (Omit<TestView, 'version' | 'steps'> & { serverVersion?: string }) | undefined;
  return {
    nextStatuses: definition ? allowedTransitions(definition, connection.status).map((t) => ({ to: t.to, sentence: t.sentence })) : [],
    ...(last
      ? {
          lastTest: {
            reached: !!last.reached,
            path: last.path === 'service-proxy' ? 'service-proxy' : 'direct',
            latencyMs: Number(last.latencyMs) || 0,
            ...(last.serverVersion ? { version: last.serverVersion } : {}),
            ...(last.failure ? { failure: last.failure } : {}),
            steps: [],
            ...(last.at ? { at: last.at } : {}),
          },
        }
      : {}),
    events: events.map((e) => ({ id: e.id, severity: e.severity, description: e.description, at: e.createdAt })),
  };
}
