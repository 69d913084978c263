import * as vscode from 'vscode';
import { Logger } from '../core/common/logger';

/** The "Meshery" log output channel, as the Logger core/ writes to. */
export function createLogOutput(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('Meshery', { log: true });
  const logger: Logger = {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  return { channel, logger };
}
