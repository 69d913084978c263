import { SecretStore } from '../../src/core/connections/types';

/** The secret store of the unit tests: what VS Code SecretStorage is in the extension. */
export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
