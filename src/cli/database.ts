import { errorMessage, Logger } from '../core/common/logger';
import { ConnectionService } from '../core/connections/connectionService';
import { EnvironmentService } from '../core/connections/environmentService';
import { EventLog } from '../core/events/eventLog';
import { openStore } from '../core/store/openStore';
import { Args, RefusedError, UsageError } from './args';
import { CommandOutput } from './output';

export interface CliDatabase {
  readonly path: string;
  readonly events: EventLog;
  readonly connections: ConnectionService;
  readonly environments: EnvironmentService;
}

/** A command checks its arguments first, then returns what it does with the database (opened only for valid input). */
export type Command = (args: Args) => (db: CliDatabase) => Promise<CommandOutput>;

/**
 * Runs a command on the `--db` file: the database the extension uses, and safe with a window
 * open (the store saves under the same lock and merges the window's saves, and the window's
 * file watcher merges ours). The command has succeeded only once its changes are on disk.
 */
export async function withDatabase<T>(args: Args, logger: Logger, body: (db: CliDatabase) => Promise<T>): Promise<T> {
  const file = args.one('db');
  if (!file) throw new UsageError('--db FILE is required: the Meshery database to read and change (the extension keeps it in its global storage as meshery.db)');
  const { store, recovery } = await openStore({ path: file, logger, saveDelayMs: 60_000 });
  if (recovery?.kind === 'too-new') {
    store.dispose();
    throw new RefusedError(`${file} was written by a newer version of Meshery; it is left untouched (${recovery.reason})`);
  }
  if (recovery?.kind === 'corrupt') logger.error(`${file} could not be read (${recovery.reason}); it was kept as ${recovery.keptAs} and a new database was created`);
  const events = new EventLog(store, { retention: 10_000, logger });
  const connections = new ConnectionService(store, events);
  const environments = new EnvironmentService(store, events);
  let result: T;
  try {
    result = await body({ path: file, events, connections, environments });
  } catch (error) {
    // A refused or invalid request has written nothing worth keeping but its error event.
    await store.close().catch((closeError) => logger.error(`could not save ${file}: ${errorMessage(closeError)}`));
    throw error;
  } finally {
    connections.dispose();
    environments.dispose();
  }
  try {
    await store.close();
  } catch (error) {
    // The store has said where it kept what it could not write (applied at the next start), or that it is lost.
    throw new Error(`could not save ${file}: ${errorMessage(error)}`);
  }
  return result;
}
