import * as vscode from 'vscode';
import { markdownCode, markdownText } from '../markdownText';
import { Connection } from '../../core/connections/types';
import { ConnectionStatus } from '../../core/registry/connectionDefinitions';

const kindIcons: Record<string, string> = { kubernetes: 'server-environment', prometheus: 'graph-line', grafana: 'dashboard' };
const statusColors: Partial<Record<ConnectionStatus, string>> = {
  connected: 'testing.iconPassed',
  registered: 'charts.blue',
  disconnected: 'list.warningForeground',
  'not found': 'list.errorForeground',
  maintenance: 'charts.yellow',
  ignored: 'disabledForeground',
  deleted: 'disabledForeground',
};

export function connectionIcon(connection: Connection): vscode.ThemeIcon {
  const color = statusColors[connection.status];
  return new vscode.ThemeIcon(kindIcons[connection.kind] ?? 'plug', color ? new vscode.ThemeColor(color) : undefined);
}

export function connectionTooltip(connection: Connection, duplicates: readonly Connection[], credentialName: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${markdownText(connection.name)}** · ${connection.kind} · **${connection.status}**\n\n`);
  md.appendMarkdown(`URL: ${markdownCode(connection.url)}\n\n`);
  md.appendMarkdown(`Model: ${markdownText(`${connection.modelReference.model} / ${connection.modelReference.component}`)}\n\n`);
  md.appendMarkdown(`Credential: ${credentialName ? markdownText(credentialName) : 'none'}${connection.skipTlsVerify ? ' · $(warning) TLS verification skipped' : ''}\n\n`);
  const lastTest = connection.metadata.lastTest as { reached: boolean; path: string; latencyMs: number; serverVersion?: string; failure?: { class: string; advice: string }; at: number } | undefined;
  if (lastTest) {
    md.appendMarkdown(
      `Last test (${new Date(lastTest.at).toLocaleString()}): ${markdownText(
        lastTest.reached
          ? `reached ${lastTest.path === 'service-proxy' ? 'through the service proxy' : 'directly'} in ${lastTest.latencyMs} ms${lastTest.serverVersion ? `, version ${lastTest.serverVersion}` : ''}`
          : `not reached (${lastTest.failure?.class}). ${lastTest.failure?.advice ?? ''}`,
      )}\n\n`,
    );
  }
  if (duplicates.length) {
    md.appendMarkdown(`$(copy) Also reached by: ${markdownText(duplicates.map((d) => `${d.name} (${d.status})`).join(', '))}\n\n`);
  }
  const signals = connection.metadata.signals as string[] | undefined;
  if (signals?.length) md.appendMarkdown(`Found by: ${markdownText(signals.join('; '))}`);
  return md;
}
