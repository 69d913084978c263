import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The panel's page: only our bundle runs (a fresh nonce per render, no inline script), styles and
 * fonts come from the extension's own files, images from it or data: URIs (model icons).
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const escape = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('registration.css')}">
<title>${escape(title)}</title>
</head>
<body>
<registration-app></registration-app>
<script type="module" nonce="${nonce}" src="${asset('registration.js')}"></script>
</body>
</html>`;
}
