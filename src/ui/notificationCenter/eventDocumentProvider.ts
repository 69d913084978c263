import * as vscode from 'vscode';
import { EventLog } from '../../core/events/eventLog';
import { eventDocument } from './eventPresentation';

export const eventScheme = 'meshery-event';

export function eventUri(eventId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: eventScheme, path: `/${eventId}.json` });
}

/** Serves an event's full details as a read-only JSON document. */
export class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly log: EventLog) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const event = this.log.get(id);
    return event ? eventDocument(event) : `// This event no longer exists (it was deleted or removed by the retention limit).\n`;
  }
}
