import type { Schema } from '../common/jsonSchema';
import type { CredentialType } from './connectionDefinitions';

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
