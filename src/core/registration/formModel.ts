/**
 * The registration form's model, shared by the webview (to show each section's state) and the
 * host (to refuse what the webview should not have sent). Pure functions over the contract types.
 */
import { problems } from '../common/jsonSchema';
import { credentialFields } from '../registry/credentialFields';
import { credentialTravelsUnprotected, urlProblem } from '../connections/connectionUrl';
import { ConnectionDraft, ConnectionInfo, CredentialDraft, KindInfo } from './protocol';

export type SectionName = 'metadata' | 'credential' | 'specific' | 'environments';

export interface SectionState {
  readonly complete: boolean;
  readonly problems: readonly string[];
  /** A short line for the section header ("3 metrics chosen", "No authentication", ...). */
  readonly summary: string;
}

/** The draft a registered or discovered connection starts from. */
export function draftFromConnection(connection: ConnectionInfo): ConnectionDraft {
  return {
    connectionId: connection.id,
    kind: connection.kind,
    name: connection.name,
    url: connection.url,
    component: connection.component,
    skipTlsVerify: connection.skipTlsVerify,
    acceptInsecureCredential: connection.insecureCredentialAccepted,
    credential: connection.credentialId ? { mode: 'existing', credentialId: connection.credentialId } : { mode: 'none' },
    metrics: connection.metrics,
    boards: connection.boards,
    namespaces: connection.namespaces,
    environmentIds: connection.environmentIds,
  };
}

/** A connection typed by hand: the kind's first component, no credential. */
export function newConnectionDraft(kind: KindInfo): ConnectionDraft {
  const component = kind.components[0];
  return {
    connectionId: null,
    kind: kind.kind,
    name: '',
    url: '',
    component: { model: component?.model ?? kind.kind, component: component?.component ?? kind.kind },
    skipTlsVerify: false,
    acceptInsecureCredential: false,
    credential: { mode: 'none' },
    metrics: [],
    boards: [],
    namespaces: [],
    environmentIds: [],
  };
}

/** A credential would travel unprotected: over plain http, or over TLS that is not verified. */
export function sendsCredentialInsecurely(draft: Pick<ConnectionDraft, 'kind' | 'url' | 'skipTlsVerify' | 'credential'>): boolean {
  return draft.credential.mode !== 'none' && credentialTravelsUnprotected(draft.kind, draft.url, draft.skipTlsVerify);
}

/**
 * The problems of a new credential's values against its type's JSON Schema. `filled` names
 * fields set some other way (a PEM file picked in the host): they count as present.
 */
export function credentialValueProblems(kind: KindInfo | undefined, type: string, values: Readonly<Record<string, string>>, filled: readonly string[] = []): string[] {
  const credentialType = kind?.credentialTypes.find((t) => t.type === type);
  if (!credentialType) return [`Choose a credential type${kind ? ` (${kind.credentialTypes.map((t) => t.displayName).join(', ')})` : ''}.`];
  const present: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== '') present[k] = v;
  for (const field of filled) present[field] ??= '-----BEGIN FILE-----';
  return problems(credentialType.schema, present).map((p) => p.message);
}

/** A credential being written: its name, and its values against its type's schema. */
export function newCredentialProblems(kind: KindInfo | undefined, credential: Pick<CredentialDraft, 'name' | 'type' | 'values'>, filled: readonly string[] = []): string[] {
  return [...(credential.name.trim() ? [] : ['The credential needs a name.']), ...credentialValueProblems(kind, credential.type, credential.values, filled)];
}

export function sectionStates(draft: ConnectionDraft, kinds: readonly KindInfo[], filledFiles: readonly string[] = []): Record<SectionName, SectionState> {
  const kind = kinds.find((k) => k.kind === draft.kind);
  const metadataProblems = [
    ...(kind ? [] : ['Choose the kind of connection.']),
    ...(draft.name.trim() ? [] : ['The name is required.']),
    ...(draft.name.length > 200 ? ['The name has at most 200 characters.'] : []),
    ...[urlProblem(draft.url)].filter((p): p is string => !!p),
    ...(kind && !kind.components.some((c) => c.model === draft.component.model && c.component === draft.component.component) ? ['Choose the component this connection is.'] : []),
  ];
  const credential = draft.credential;
  const credentialProblems = [
    ...(credential.mode === 'new' ? newCredentialProblems(kind, credential, filledFiles) : []),
    ...(sendsCredentialInsecurely(draft) && !draft.acceptInsecureCredential ? ['Confirm that the credential may be sent unprotected, or use https.'] : []),
  ];
  const credentialSummary =
    credential.mode === 'none' ? 'No authentication' : credential.mode === 'existing' ? 'An existing credential' : `New ${kind?.credentialTypes.find((t) => t.type === credential.type)?.displayName ?? 'credential'}`;
  const specificSummary =
    draft.kind === 'prometheus'
      ? `${draft.metrics.length} metric${draft.metrics.length === 1 ? '' : 's'} chosen`
      : draft.kind === 'grafana'
        ? `${draft.boards.length} board${draft.boards.length === 1 ? '' : 's'} chosen`
        : draft.namespaces.length
          ? `${draft.namespaces.length} namespace${draft.namespaces.length === 1 ? '' : 's'}`
          : 'All namespaces';
  return {
    metadata: { complete: metadataProblems.length === 0, problems: metadataProblems, summary: draft.name || 'Unnamed' },
    credential: { complete: credentialProblems.length === 0, problems: credentialProblems, summary: credentialSummary },
    specific: { complete: true, problems: [], summary: specificSummary },
    environments: {
      complete: true,
      problems: [],
      summary: draft.environmentIds.length ? `${draft.environmentIds.length} environment${draft.environmentIds.length === 1 ? '' : 's'}` : 'No environment',
    },
  };
}

/** The draft as the webview may keep it across a reload: without the values of secret fields. */
export function storableDraft(draft: ConnectionDraft, kinds: readonly KindInfo[]): ConnectionDraft {
  if (draft.credential.mode !== 'new') return draft;
  return { ...draft, credential: { ...draft.credential, values: withoutSecrets(kinds, draft.kind, draft.credential.type, draft.credential.values) } };
}

export function storableCredentialDraft(draft: CredentialDraft, kinds: readonly KindInfo[]): CredentialDraft {
  return { ...draft, values: withoutSecrets(kinds, draft.kind, draft.type, draft.values) };
}

function withoutSecrets(kinds: readonly KindInfo[], kind: string, type: string, values: Readonly<Record<string, string>>): Record<string, string> {
  const credentialType = kinds.find((k) => k.kind === kind)?.credentialTypes.find((t) => t.type === type);
  const secret = new Set(credentialType ? credentialFields(credentialType).filter((f) => f.secret).map((f) => f.name) : Object.keys(values));
  return Object.fromEntries(Object.entries(values).filter(([k]) => !secret.has(k)));
}
