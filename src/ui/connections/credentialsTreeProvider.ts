import * as vscode from 'vscode';
import { markdownText } from '../markdownText';
import { ConnectionService } from '../../core/connections/connectionService';
import { CredentialService } from '../../core/connections/credentialService';
import { CredentialInfo } from '../../core/connections/types';
import { connectionDefinition } from '../../core/registry/connectionDefinitions';

/** The Credentials view: each credential with its kind, type, the fields it has (never values) and who uses it. */
export class CredentialsTreeProvider implements vscode.TreeDataProvider<CredentialInfo>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<CredentialInfo | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: { dispose(): void }[];

  constructor(
    private readonly credentials: CredentialService,
    private readonly connections: ConnectionService,
  ) {
    const refresh = () => this.changeEmitter.fire(undefined);
    this.disposables = [this.changeEmitter, credentials.onDidChange(refresh), connections.onDidChange(refresh)];
  }

  getTreeItem(credential: CredentialInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(credential.name);
    item.id = credential.id;
    const schema = connectionDefinition(credential.kind)?.credentialSchema.find((s) => s.type === credential.type);
    item.description = `${credential.kind} · ${schema?.displayName ?? credential.type} · used by ${credential.connectionIds.length}`;
    item.iconPath = new vscode.ThemeIcon('key');
    const users = credential.connectionIds.map((id) => this.connections.get(id)?.name ?? id);
    item.tooltip = new vscode.MarkdownString(
      `**${markdownText(credential.name)}**\n\nFields set: ${markdownText(credential.fields.join(', ')) || 'none'} (values in VS Code SecretStorage)\n\nUsed by: ${markdownText(users.join(', ')) || 'no connection'}`,
    );
    item.contextValue = 'meshery.credential';
    return item;
  }

  getChildren(element?: CredentialInfo): CredentialInfo[] {
    return element ? [] : this.credentials.list();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
