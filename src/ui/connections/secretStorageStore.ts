import * as vscode from 'vscode';
import { SecretStore } from '../../core/connections/types';

/** Credential values in VS Code's SecretStorage (the OS keychain), nowhere else. */
export function secretStorageStore(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, value) => Promise.resolve(secrets.store(key, value)),
    delete: (key) => Promise.resolve(secrets.delete(key)),
  };
}
