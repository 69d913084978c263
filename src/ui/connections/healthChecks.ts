import * as vscode from 'vscode';
import { HealthMonitor } from '../../core/connections/healthMonitor';
import { settings } from '../settings';
import { runConnectionTest } from './connectionRunner';
import { ConnectionServices } from './connectionServices';

/** Checks pause once the window has not been focused for this long. */
const idleAfterMs = 10 * 60_000;

/** Background health checks, paced by the setting and paused while the window is left alone. */
export function registerHealthChecks(services: ConnectionServices): vscode.Disposable[] {
  let lastFocused = Date.now();
  const monitor = new HealthMonitor(services.connections, (c) => runConnectionTest(services, c), {
    intervalMs: settings.healthCheckIntervalMs,
    maxConcurrent: 3,
    maxBackoffMs: 60 * 60_000,
    isActive: () => vscode.window.state.focused || Date.now() - lastFocused < idleAfterMs,
  });
  monitor.start();
  return [
    monitor,
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) lastFocused = Date.now();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // A new interval takes effect at once (the tick pace follows it).
      if (event.affectsConfiguration('meshery.connectivity.healthCheckIntervalSeconds')) {
        monitor.dispose();
        monitor.start();
      }
    }),
  ];
}
