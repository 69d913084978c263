import { ConnectionStatus } from '../registry/connectionDefinitions';

/** A connection, with Meshery's fields (plus where discovery found it). */
export interface Connection {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly kind: string;
  readonly type: string;
  readonly subType: string;
  readonly credentialId: string | undefined;
  readonly modelReference: { readonly model: string; readonly component: string };
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: ConnectionStatus;
  readonly environments: readonly string[];
  readonly clusterId: string | undefined;
  readonly objectUid: string | undefined;
  /** An explicit, recorded choice to not verify this connection's TLS certificate. */
  readonly skipTlsVerify: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface Environment {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly connectionIds: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What the database knows of a credential: never its values. */
export interface CredentialInfo {
  readonly id: string;
  readonly name: string;
  /** The connection kind it is for (kubernetes, prometheus, grafana). */
  readonly kind: string;
  /** The credential type of that kind's schema (bearer-token, basic-auth, ...). */
  readonly type: string;
  /** The names of the fields that are set. */
  readonly fields: readonly string[];
  /** The connections that use it. */
  readonly connectionIds: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Where secret values live: VS Code SecretStorage in the extension, memory in tests. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class ValidationError extends Error {}
