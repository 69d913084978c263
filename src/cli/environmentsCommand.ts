import { Logger } from '../core/common/logger';
import { Environment, ValidationError } from '../core/connections/types';
import { Args, RefusedError, UsageError } from './args';
import { Command, withDatabase } from './database';
import { findConnection, findEnvironment } from './references';
import { CommandOutput, table } from './output';

export const environmentsUsage = [
  'environments list --db FILE [--json]',
  'environments create NAME --db FILE [--description TEXT] [--json]',
  'environments assign ENV --connection ID... --db FILE [--json]',
];

function environmentJson(e: Environment) {
  return { id: e.id, name: e.name, description: e.description, connectionIds: e.connectionIds, createdAt: new Date(e.createdAt).toISOString() };
}

const list: Command = (args) => {
  args.expectOnly(['db', 'json'], 0);
  return async (db) => {
    const environments = db.environments.list();
    return {
      json: environments.map(environmentJson),
      text: environments.length
        ? table(['ID', 'NAME', 'CONNECTIONS', 'DESCRIPTION'], environments.map((e) => [e.id.slice(0, 8), e.name, String(e.connectionIds.length), e.description || '-']))
        : 'No environments.\n',
    };
  };
};

const create: Command = (args) => {
  args.expectOnly(['db', 'description', 'json'], 1);
  const [name] = args.positional;
  if (!name) throw new UsageError(`usage: cli.js ${environmentsUsage[1]}`);
  return async (db) => {
    try {
      const environment = db.environments.create(name, args.one('description') ?? '');
      return { json: environmentJson(environment), text: `Created environment ${environment.id} "${environment.name}".\n` };
    } catch (error) {
      // The name is taken (case-insensitively) or too long: the request is refused, nothing written.
      if (error instanceof ValidationError) throw new RefusedError(error.message);
      throw error;
    }
  };
};

const assign: Command = (args) => {
  args.expectOnly(['db', 'connection', 'json'], 1);
  const [reference] = args.positional;
  const references = args.all('connection');
  if (!reference || references.length === 0) throw new UsageError(`usage: cli.js ${environmentsUsage[2]}`);
  return async (db) => {
    const environment = findEnvironment(db.environments.list(), reference);
    const connections = db.connections.list();
    const chosen = references.map((r) => findConnection(connections, r));
    const deleted = chosen.find((c) => c.status === 'deleted');
    if (deleted) throw new RefusedError(`${deleted.name} is deleted; a deleted connection is not assigned to environments`);
    db.environments.assign(environment.id, chosen.map((c) => c.id));
    const after = db.environments.get(environment.id)!;
    return { json: environmentJson(after), text: `Assigned ${chosen.map((c) => `"${c.name}"`).join(', ')} to environment "${after.name}" (${after.connectionIds.length} connection(s) now).\n` };
  };
};

/** `environments list|create|assign`, on the `--db` file. */
export function environmentsCommand(argv: readonly string[], logger: Logger): Promise<CommandOutput> {
  const [verb, ...rest] = argv;
  const command = new Map([['list', list], ['create', create], ['assign', assign]]).get(verb);
  if (!command) throw new UsageError(`usage:\n${environmentsUsage.map((u) => `  cli.js ${u}`).join('\n')}`);
  const args = new Args(rest, ['json']);
  return withDatabase(args, logger, command(args));
}
