import * as vscode from 'vscode';
import { markdownText } from '../markdownText';
import { MesheryEvent, Severity } from '../../core/events/types';

const severityIcons: Record<Severity, [icon: string, color: string]> = {
  emergency: ['flame', 'errorForeground'],
  alert: ['bell-dot', 'errorForeground'],
  critical: ['error', 'errorForeground'],
  error: ['error', 'list.errorForeground'],
  warning: ['warning', 'list.warningForeground'],
  informational: ['info', 'notificationsInfoIcon.foreground'],
  debug: ['debug', 'descriptionForeground'],
  success: ['pass', 'testing.iconPassed'],
};

export function severityIcon(severity: Severity): vscode.ThemeIcon {
  const [icon, color] = severityIcons[severity];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

export function formatEventTime(createdAt: number, now = Date.now()): string {
  const date = new Date(createdAt);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

export function eventTooltip(event: MesheryEvent): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`$(${severityIcons[event.severity][0]}) **${event.severity}** · ${markdownText(`${event.category}/${event.action}`)} · ${event.status}\n\n`);
  md.appendText(event.description);
  md.appendMarkdown(`\n\n${new Date(event.createdAt).toLocaleString()}`);
  if (event.actedUpon) {
    md.appendMarkdown('\n\nActed upon: ');
    md.appendText(event.actedUpon);
  }
  const metadata = Object.keys(event.metadata);
  if (metadata.length > 0) {
    md.appendCodeblock(JSON.stringify(event.metadata, null, 2), 'json');
  }
  return md;
}

/** An operation's events, oldest first (the order they happened in), one line each. */
export function operationTooltip(newestFirst: readonly MesheryEvent[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**One operation, ${newestFirst.length} events**\n\n`);
  for (const event of [...newestFirst].reverse()) {
    md.appendMarkdown(`$(${severityIcons[event.severity][0]}) ${new Date(event.createdAt).toLocaleTimeString()} · ${markdownText(`${event.category}/${event.action}`)}: `);
    md.appendText(event.description.split('\n')[0]);
    md.appendMarkdown('\n\n');
  }
  return md;
}

/** The whole event as a read-only JSON document (copyable, searchable). */
export function eventDocument(event: MesheryEvent): string {
  return JSON.stringify({ ...event, createdAt: new Date(event.createdAt).toISOString() }, null, 2) + '\n';
}
