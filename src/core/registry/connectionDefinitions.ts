import definitions from './connectionDefinitions.json';
import type { Schema } from '../common/jsonSchema';

export type ConnectionStatus = 'discovered' | 'registered' | 'connected' | 'ignored' | 'maintenance' | 'disconnected' | 'deleted' | 'not found';

export interface CredentialField {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** Secret fields (JSON Schema `writeOnly`) go to VS Code SecretStorage only; the database records that they are set. */
  readonly secret: boolean;
  readonly required: boolean;
  /** PEM text (JSON Schema `contentMediaType`): taken from a file or pasted. */
  readonly pem: boolean;
}

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

/** The fields a credential type's schema declares, in order, for forms and prompts. */
export function credentialFields(credentialType: CredentialType): CredentialField[] {
  const required = new Set(credentialType.schema.required ?? []);
  return Object.entries(credentialType.schema.properties ?? {}).map(([name, raw]) => {
    const property = raw as Schema;
    return {
      name,
      title: typeof property.title === 'string' ? property.title : name,
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
      secret: property.writeOnly === true,
      required: required.has(name),
      pem: property.contentMediaType === 'application/x-pem-file',
    };
  });
}
