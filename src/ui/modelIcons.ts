import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { modelIconSvg } from '../core/registry/iconSvg';
import { ModelDefinition } from '../core/registry/types';

/** Tree icons need files: each model's SVG is written once into the extension's storage. */
export function modelIconFiles(storage: vscode.Uri): (model: ModelDefinition) => vscode.Uri {
  const dir = path.join(storage.fsPath, 'model-icons');
  fs.mkdirSync(dir, { recursive: true });
  const written = new Map<string, vscode.Uri>();
  return (model) => {
    let uri = written.get(model.name);
    if (!uri) {
      const file = path.join(dir, `${model.name.replace(/[^a-z0-9.-]/gi, '_')}.svg`);
      const svg = modelIconSvg(model);
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== svg) fs.writeFileSync(file, svg);
      uri = vscode.Uri.file(file);
      written.set(model.name, uri);
    }
    return uri;
  };
}
