import * as vscode from 'vscode';
import { MesheryExtension, MesheryExtensionApi } from '../../src/ui/api';

/** Activates the extension (if it is not yet) and waits for its services. */
export async function mesheryApi(): Promise<MesheryExtensionApi> {
  const extension = vscode.extensions.getExtension<MesheryExtension>('meshery-ide.meshery-vscode');
  if (!extension) throw new Error('the Meshery extension is not installed in this host');
  return (await extension.activate()).ready;
}
