import definitions from './connectionDefinitions.json';
import type { Schema } from '../common/jsonSchema';

export type ConnectionStatus = 'discovered' | 'registered' | 'connected' | 'ignored' | 'maintenance' | 'disconnected' | 'deleted' | 'not found';

/** A credential type of a connection kind: its values are described, and validated, by a JSON Schema (as in Meshery). */
export interface CredentialType {
  readonly type: string;
  readonly displayName: string;
  readonly schema: Schema;
}

export interface Transition {
  readonly from: ConnectionStatus;
  readonly to: ConnectionStatus;
  /** Shown to the user as the confirmation text when they pick this transition. */
  readonly sentence: string;
  /** Set only by the system (an object disappearing or coming back), never chosen by a user. */
  readonly systemOnly?: boolean;
}

/**
 * A connection kind, as data: which components can be one, what a credential for it holds, and
 * its status machine. More kinds are added as data plus a connectivity tester.
 */
export interface ConnectionDefinition {
  readonly kind: string;
  readonly type: 'platform' | 'telemetry' | 'collaboration';
  readonly subType: string;
  readonly displayName: string;
  readonly components: readonly { readonly model: string; readonly kind: string }[];
  readonly credentialSchema: readonly CredentialType[];
  readonly transitions: readonly Transition[];
}

export const connectionDefinitions: readonly ConnectionDefinition[] = definitions as unknown as ConnectionDefinition[];

export function connectionDefinition(kind: string): ConnectionDefinition | undefined {
  return connectionDefinitions.find((d) => d.kind === kind);
}
