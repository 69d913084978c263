/**
 * The one message contract between the registration panel (webview) and the extension host.
 * Imported by both sides; imports neither `vscode` nor the DOM. Every message a side receives is
 * checked against these JSON Schemas before use: the host treats the webview as untrusted input.
 */
import { Schema, isValid, problems } from '../common/jsonSchema';

// ---- Drafts: what the forms hold --------------------------------------------------------------

export type CredentialChoice =
  | { readonly mode: 'none' }
  | { readonly mode: 'existing'; readonly credentialId: string }
  /** Values include secret fields only inside a test/register message, never in saved webview state. */
  | { readonly mode: 'new'; readonly name: string; readonly type: string; readonly values: Readonly<Record<string, string>> };

export interface BoardRef {
  readonly uid: string;
  readonly title: string;
  readonly url: string;
}

export interface ComponentRef {
  readonly model: string;
  readonly component: string;
}

export interface ConnectionDraft {
  /** null: a connection typed by hand (an address outside any discovered cluster). */
  readonly connectionId: string | null;
  readonly kind: string;
  readonly name: string;
  readonly url: string;
  readonly component: ComponentRef;
  readonly skipTlsVerify: boolean;
  /** The person's recorded choice to send the credential unprotected (plain http, or TLS unverified). */
  readonly acceptInsecureCredential: boolean;
  readonly credential: CredentialChoice;
  readonly metrics: readonly string[];
  readonly boards: readonly BoardRef[];
  readonly namespaces: readonly string[];
  readonly environmentIds: readonly string[];
}

export interface CredentialDraft {
  readonly name: string;
  readonly kind: string;
  readonly type: string;
  readonly values: Readonly<Record<string, string>>;
  readonly connectionIds: readonly string[];
}

// ---- What the host shows ----------------------------------------------------------------------

export interface CredentialTypeInfo {
  readonly type: string;
  readonly displayName: string;
  readonly schema: Schema;
}

export interface ComponentInfo extends ComponentRef {
  readonly modelDisplayName: string;
  readonly componentDisplayName: string;
  readonly color: string;
  /** The model's icon as a data: URI (SVG). */
  readonly icon: string;
}

export interface KindInfo {
  readonly kind: string;
  readonly displayName: string;
  readonly credentialTypes: readonly CredentialTypeInfo[];
  readonly components: readonly ComponentInfo[];
}

export interface CredentialSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly type: string;
  /** The names of the fields that are set; never their values. */
  readonly fields: readonly string[];
}

export interface FailureView {
  readonly class: string;
  readonly message: string;
  readonly advice: string;
}

export interface TestView {
  readonly reached: boolean;
  readonly path: 'direct' | 'service-proxy';
  readonly latencyMs: number;
  readonly version?: string;
  readonly failure?: FailureView;
  readonly steps: readonly string[];
  readonly at?: number;
  /** The same address with the other scheme, when the test found that it answers there. */
  readonly suggestedUrl?: string;
}

export interface ConnectionInfo {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly kind: string;
  readonly status: string;
  readonly component: ComponentRef;
  readonly skipTlsVerify: boolean;
  /** Sending its credential unprotected was accepted once already (asked once per connection). */
  readonly insecureCredentialAccepted: boolean;
  readonly credentialId: string | null;
  readonly environmentIds: readonly string[];
  readonly metrics: readonly string[];
  readonly boards: readonly BoardRef[];
  readonly namespaces: readonly string[];
  /** Where discovery found it, as label/value rows (cluster, namespace, Service, signals, ...). */
  readonly found: readonly { readonly label: string; readonly value: string }[];
}

export interface EventView {
  readonly id: string;
  readonly severity: string;
  readonly description: string;
  readonly at: number;
}

export interface DetailsInfo {
  readonly nextStatuses: readonly { readonly to: string; readonly sentence: string }[];
  readonly lastTest?: TestView;
  readonly events: readonly EventView[];
}

export interface PanelState {
  readonly panel: 'connection' | 'credential';
  readonly kinds: readonly KindInfo[];
  readonly connection: ConnectionInfo | null;
  readonly details: DetailsInfo | null;
  readonly credentials: readonly CredentialSummary[];
  readonly environments: readonly { readonly id: string; readonly name: string }[];
  readonly connections: readonly { readonly id: string; readonly name: string; readonly kind: string; readonly status: string }[];
}

export interface MetricValueView {
  readonly name: string;
  readonly value?: string;
  readonly series: number;
  readonly error?: string;
}

export interface SeriesView {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly error?: string;
}

export interface RegisterOutcome {
  readonly connectionId: string;
  readonly status: string;
  readonly test?: TestView;
  /** Why it is REGISTERED and not CONNECTED, when it is not. */
  readonly reason?: string;
}

export interface CredentialTestOutcome {
  readonly results: readonly { readonly connectionId: string; readonly name: string; readonly test: TestView }[];
}

/** Each request the webview may make, with its params and the result it gets back. */
export interface Requests {
  test: { params: { draft: ConnectionDraft }; result: TestView };
  register: { params: { draft: ConnectionDraft }; result: RegisterOutcome };
  loadMetricNames: { params: { draft: ConnectionDraft }; result: { names: string[]; path: string } };
  loadMetricValues: { params: { draft: ConnectionDraft; names: string[] }; result: { values: MetricValueView[] } };
  loadBoards: { params: { draft: ConnectionDraft }; result: { boards: BoardRef[]; path: string } };
  createEnvironment: { params: { name: string }; result: { id: string; name: string } };
  changeStatus: { params: { to: string }; result: { status: string } };
  pickPemFile: { params: { field: string; secret: boolean }; result: { fileName: string; content?: string } | null };
  testCredential: { params: { credential: CredentialDraft }; result: CredentialTestOutcome };
  registerCredential: { params: { credential: CredentialDraft }; result: { credentialId: string; attached: number } };
}

export type RequestType = keyof Requests;

/** Fire-and-forget intents. */
export interface Notices {
  ready: Record<string, never>;
  reveal: { what: 'connection' | 'events' };
  openBoard: { url: string };
  watchSeries: { visible: boolean };
}

export type NoticeType = keyof Notices;

export type RequestMessage = { [T in RequestType]: { type: T; id: number; params: Requests[T]['params'] } }[RequestType];
export type NoticeMessage = { [T in NoticeType]: { type: T; params: Notices[T] } }[NoticeType];
export type WebviewMessage = RequestMessage | NoticeMessage;

export type HostMessage =
  | { type: 'state'; params: PanelState }
  | { type: 'series'; params: { series: SeriesView[] } }
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: string };

// ---- Runtime schemas --------------------------------------------------------------------------

/** Messages larger than this are refused before they are looked at (a PEM bundle fits easily). */
export const maxMessageChars = 512 * 1024;

const id: Schema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };
const text = (maxLength: number): Schema => ({ type: 'string', maxLength });
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** Field names of credential values: plain identifiers, so no __proto__ or constructor. */
const credentialValues: Schema = {
  type: 'object',
  maxProperties: 16,
  propertyNames: { pattern: '^[a-z][A-Za-z0-9]{0,39}$', not: { enum: ['constructor', 'prototype'] } },
  additionalProperties: text(65536),
};

const credentialChoice: Schema = {
  oneOf: [
    object({ mode: { const: 'none' } }),
    object({ mode: { const: 'existing' }, credentialId: id }),
    object({ mode: { const: 'new' }, name: text(200), type: text(64), values: credentialValues }),
  ],
};

export const connectionDraftSchema: Schema = object({
  connectionId: { anyOf: [id, { type: 'null' }] },
  kind: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
  name: text(200),
  url: text(2048),
  component: object({ model: text(100), component: text(100) }),
  skipTlsVerify: { type: 'boolean' },
  acceptInsecureCredential: { type: 'boolean' },
  credential: credentialChoice,
  metrics: { type: 'array', maxItems: 200, uniqueItems: true, items: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]{0,299}$' } },
  boards: { type: 'array', maxItems: 200, items: object({ uid: text(128), title: text(500), url: text(2048) }) },
  namespaces: { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } },
  environmentIds: { type: 'array', maxItems: 100, uniqueItems: true, items: id },
});

const credentialDraftSchema: Schema = object({
  name: text(200),
  kind: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
  type: text(64),
  values: credentialValues,
  connectionIds: { type: 'array', maxItems: 500, uniqueItems: true, items: id },
});

const requestParams: { readonly [T in RequestType]: Schema } = {
  test: object({ draft: connectionDraftSchema }),
  register: object({ draft: connectionDraftSchema }),
  loadMetricNames: object({ draft: connectionDraftSchema }),
  loadMetricValues: object({ draft: connectionDraftSchema, names: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 300 } } }),
  loadBoards: object({ draft: connectionDraftSchema }),
  createEnvironment: object({ name: text(100) }),
  changeStatus: object({ to: text(32) }),
  pickPemFile: object({ field: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,39}$' }, secret: { type: 'boolean' } }),
  testCredential: object({ credential: credentialDraftSchema }),
  registerCredential: object({ credential: credentialDraftSchema }),
};

const noticeParams: { readonly [T in NoticeType]: Schema } = {
  ready: object({}),
  reveal: object({ what: { enum: ['connection', 'events'] } }),
  openBoard: object({ url: text(2048) }),
  watchSeries: object({ visible: { type: 'boolean' } }),
};

const requestId: Schema = { type: 'integer', minimum: 0, maximum: 2 ** 31 };

// Whole-message schemas, built once (validators are cached per schema object).
const requestSchemas = Object.fromEntries(
  Object.entries(requestParams).map(([type, params]) => [type, object({ type: { const: type }, id: requestId, params })]),
) as Record<RequestType, Schema>;
const noticeSchemas = Object.fromEntries(Object.entries(noticeParams).map(([type, params]) => [type, object({ type: { const: type }, params })])) as Record<NoticeType, Schema>;

function own<T extends object>(table: T, key: unknown): key is keyof T {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);
}

export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly reason: string };

/** The host's gate: a message from the webview, checked in full, or why it was refused. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
  let size: number;
  try {
    size = JSON.stringify(raw).length;
  } catch {
    return { ok: false, reason: 'not JSON data' };
  }
  if (size > maxMessageChars) return { ok: false, reason: `too large (${size} characters)` };
  const { type } = raw as { type?: unknown };
  if (own(requestParams, type)) {
    const found = problems(requestSchemas[type], raw);
    return found.length ? { ok: false, reason: `${type}: ${found.map((p) => p.message).join(' ')}` } : { ok: true, message: raw as WebviewMessage };
  }
  if (own(noticeParams, type)) {
    return isValid(noticeSchemas[type], raw) ? { ok: true, message: raw as WebviewMessage } : { ok: false, reason: `${type}: wrong shape` };
  }
  return { ok: false, reason: `unknown message type ${JSON.stringify(String(type)).slice(0, 80)}` };
}

const hostMessageSchema: Schema = {
  oneOf: [
    {
      type: 'object',
      required: ['type', 'params'],
      properties: {
        type: { const: 'state' },
        params: {
          type: 'object',
          required: ['panel', 'kinds', 'connection', 'details', 'credentials', 'environments', 'connections'],
          properties: {
            panel: { enum: ['connection', 'credential'] },
            kinds: { type: 'array' },
            credentials: { type: 'array' },
            environments: { type: 'array' },
            connections: { type: 'array' },
          },
        },
      },
    },
    { type: 'object', required: ['type', 'params'], properties: { type: { const: 'series' }, params: { type: 'object', required: ['series'], properties: { series: { type: 'array' } } } } },
    {
      type: 'object',
      required: ['type', 'id', 'ok'],
      properties: { type: { const: 'response' }, id: requestId, ok: { type: 'boolean' }, error: { type: 'string' } },
    },
  ],
};

/** The webview's gate: a message from the host, checked before it touches the page. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return isValid(hostMessageSchema, raw) ? { ok: true, message: raw as HostMessage } : { ok: false, reason: 'unexpected message from the extension' };
}
