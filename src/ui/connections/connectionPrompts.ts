import * as vscode from 'vscode';
import { Connection } from '../../core/connections/types';
import { connectionDefinition } from '../../core/registry/connectionDefinitions';
import { credentialFields } from '../../core/registry/credentialFields';
import { ConnectionServices } from './connectionServices';
import { ConnectionNode } from './connectionsTreeProvider';

/** Arguments commands accept from the tree (a node), from the Discovered view (a candidate object) or from code (an id). */
export type ConnectionArg = ConnectionNode | { kind: 'object'; clusterId: string; uid: string } | string | undefined;

const createNew = '$(add) Create new…';

/** The quick picks and input boxes the connection, environment and credential commands share. */
export class ConnectionPrompts {
  constructor(private readonly services: ConnectionServices) {}

  /** A connection from its tree node, a candidate object of the Discovered view, an id, or picked. */
  async connection(arg: ConnectionArg, placeHolder: string, filter: (c: Connection) => boolean = () => true): Promise<Connection | undefined> {
    if (typeof arg === 'string') return this.services.connections.get(arg);
    if (arg && 'type' in arg && arg.type === 'connection') return this.services.connections.get(arg.connectionId);
    if (arg && 'kind' in arg && arg.kind === 'object') return this.services.connections.list().find((c) => c.clusterId === arg.clusterId && c.objectUid === arg.uid);
    const candidates = this.services.connections.list().filter((c) => c.status !== 'deleted' && filter(c));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('There is no connection for this yet. Connections appear as discovery finds clusters, Prometheus and Grafana.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.name, description: `${c.kind} · ${c.status}`, detail: c.url, connection: c })),
      { placeHolder, matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.connection;
  }

  /** Environments for a connection, picked (the current ones pre-selected), with a way to create one. */
  async environments(current: readonly string[]): Promise<string[] | undefined> {
    const items: (vscode.QuickPickItem & { id?: string })[] = [
      ...this.services.environments.list().map((e) => ({ label: e.name, description: e.description, picked: current.includes(e.id), id: e.id })),
      { label: createNew, alwaysShow: true },
    ];
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Environments of this connection' });
    if (!picked) return undefined;
    const ids = picked.filter((p) => p.id).map((p) => p.id!);
    if (picked.some((p) => p.label === createNew)) {
      const created = await this.createEnvironment();
      if (created) ids.push(created);
    }
    return ids;
  }

  async createEnvironment(name?: string, description?: string): Promise<string | undefined> {
    const value =
      name ??
      (await vscode.window.showInputBox({
        title: 'New environment',
        prompt: 'Name (at most 100 characters)',
        validateInput: (v) => (!v.trim() ? 'A name is needed.' : v.trim().length > 100 ? 'At most 100 characters.' : this.services.environments.list().some((e) => e.name.toLowerCase() === v.trim().toLowerCase()) ? 'That name is taken.' : undefined),
      }));
    if (!value) return undefined;
    return this.services.environments.create(value, description ?? '').id;
  }

  /** Asks for the kind, the credential type of its schema, each field (secret ones masked) and a name. */
  async createCredential(kind?: string): Promise<string | undefined> {
    const chosenKind =
      kind ??
      (await vscode.window.showQuickPick(['kubernetes', 'prometheus', 'grafana'].map((k) => ({ label: connectionDefinition(k)!.displayName, connectionKind: k })), { title: 'Credential for which kind of connection?' }))?.connectionKind;
    if (!chosenKind) return undefined;
    const definition = connectionDefinition(chosenKind)!;
    const schema = await vscode.window.showQuickPick(definition.credentialSchema.map((s) => ({ label: s.displayName, schema: s })), { title: `${definition.displayName} credential type` });
    if (!schema) return undefined;
    const values: Record<string, string> = {};
    for (const field of credentialFields(schema.schema)) {
      const value = await vscode.window.showInputBox({
        title: `${schema.label}: ${field.title}`,
        password: field.secret,
        prompt: field.secret ? 'Stored in VS Code SecretStorage only' : undefined,
        validateInput: (v) => (field.required && !v ? `${field.title} is required.` : undefined),
      });
      if (value === undefined) return undefined;
      if (value) values[field.name] = value;
    }
    const name = await vscode.window.showInputBox({ title: 'Credential name', value: `${definition.displayName} ${schema.label}`, validateInput: (v) => (v.trim() ? undefined : 'A name is needed.') });
    if (!name) return undefined;
    return (await this.services.credentials.create({ name, kind: chosenKind, type: schema.schema.type, values })).id;
  }

  /** A credential by id, from its tree item, or picked. */
  async credential(arg?: string | { id: string }) {
    const id = typeof arg === 'string' ? arg : arg?.id;
    const credentialId = id ?? (await vscode.window.showQuickPick(this.services.credentials.list().map((c) => ({ label: c.name, description: `${c.kind} · ${c.type} · used by ${c.connectionIds.length}`, id: c.id }))))?.id;
    return credentialId ? this.services.credentials.get(credentialId) : undefined;
  }

  /** Connections of the credential's kind, by id or picked (those using it pre-selected). */
  async connectionsFor(credential: { name: string; kind: string; connectionIds: readonly string[] }, title: string, ids?: string[]) {
    if (ids) return ids.map((c) => this.services.connections.get(c)).filter((c): c is Connection => !!c);
    const picked = await vscode.window.showQuickPick(
      this.services.connections
        .list()
        .filter((c) => c.kind === credential.kind && c.status !== 'deleted')
        .map((c) => ({ label: c.name, description: c.status, picked: credential.connectionIds.includes(c.id), connection: c })),
      { canPickMany: true, title: `${title} "${credential.name}"…` },
    );
    return picked?.map((p) => p.connection);
  }

  /** An environment by id, from its tree node, or picked. */
  async environment(arg?: ConnectionNode | string) {
    const id = typeof arg === 'string' ? arg : arg?.type === 'group' ? arg.environmentId : (await vscode.window.showQuickPick(this.services.environments.list().map((e) => ({ label: e.name, id: e.id }))))?.id;
    return id ? this.services.environments.get(id) : undefined;
  }
}
