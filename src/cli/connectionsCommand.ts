import { Logger } from '../core/common/logger';
import { credentialTravelsUnprotected, urlProblem } from '../core/connections/connectionUrl';
import { InvalidTransitionError, connectionStatuses } from '../core/connections/statusMachine';
import { Connection, Environment, ValidationError } from '../core/connections/types';
import { TestResult } from '../core/connectivity/testers';
import { existingKubeconfigFiles } from '../core/kube/kubeconfigFiles';
import { ConnectionStatus, connectionDefinition, connectionDefinitions } from '../core/registry/connectionDefinitions';
import { Args, RefusedError, UsageError } from './args';
import { Command, withDatabase } from './database';
import { findConnection, findEnvironment } from './references';
import { CommandOutput, table } from './output';
import { cliTester } from './testConnectionCommand';
import { TestOptions, testOptionNames, testOptionsFrom, testOptionsUsage } from './testOptions';

const kinds = connectionDefinitions.map((d) => d.kind);

export const connectionsUsage = [
  'connections list --db FILE [--kind K] [--status S] [--json]',
  `connections register --db FILE --kind ${kinds.join('|')} --url URL [--name NAME] [--environment ENV]... ${testOptionsUsage} [--send-credential-insecurely] [--json]`,
  `connections status ID --to STATUS --db FILE ${testOptionsUsage} [--kubeconfig FILE]... [--json]`,
];

/** What a script may read of a connection: never a secret (the database holds none). */
function connectionJson(c: Connection, environments: readonly Environment[]) {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    status: c.status,
    url: c.url,
    model: c.modelReference.model,
    component: c.modelReference.component,
    environments: environments.filter((e) => c.environments.includes(e.id)).map((e) => ({ id: e.id, name: e.name })),
    credentialId: c.credentialId ?? null,
    clusterId: c.clusterId ?? null,
    skipTlsVerify: c.skipTlsVerify,
    lastTest: c.metadata.lastTest ?? null,
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

function testSentence(test: TestResult | undefined): string {
  if (!test) return 'not tested';
  return test.reached
    ? `reached ${test.path === 'direct' ? 'directly' : 'through the service proxy'} in ${test.latencyMs} ms${test.serverVersion ? `, version ${test.serverVersion}` : ''}`
    : `not reached (${test.failure?.class}): ${test.failure?.message}. ${test.failure?.advice ?? ''}`.trim();
}

/** Said whenever a credential was given: the CLI cannot reach VS Code's SecretStorage, and stores no secret anywhere else. */
function credentialNote(options: TestOptions): string {
  return options.credentialSource
    ? `The credential from $${options.credentialSource} was used for this test only and is not stored; attach one in VS Code (Meshery: Register Credential…) so health checks can use it.\n`
    : '';
}

const list: Command = (args) => {
  args.expectOnly(['db', 'kind', 'status', 'json'], 0);
  const kind = args.one('kind');
  const status = args.one('status');
  if (status && !connectionStatuses.includes(status as ConnectionStatus)) throw new UsageError(`--status must be one of ${connectionStatuses.join(', ')}`);
  return async (db) => {
    const environments = db.environments.list();
    const shown = db.connections.list().filter((c) => (!kind || c.kind === kind) && (!status || c.status === status));
    const rows = shown.map((c) => [
      c.id.slice(0, 8),
      c.kind,
      c.status.toUpperCase(),
      c.name,
      c.url,
      environments.filter((e) => c.environments.includes(e.id)).map((e) => e.name).join(', ') || '-',
    ]);
    return {
      json: shown.map((c) => connectionJson(c, environments)),
      text: shown.length ? table(['ID', 'KIND', 'STATUS', 'NAME', 'URL', 'ENVIRONMENTS'], rows) : 'No connections.\n',
    };
  };
};

/**
 * Registers a service by URL: an existing discovered connection of the same kind and URL is the
 * one registered (not a duplicate); then it is tested, CONNECTED when reached, else REGISTERED
 * with the reason. Everything named is checked before anything is written.
 */
const register: Command = (args) => {
  args.expectOnly(['db', 'kind', 'url', 'name', 'environment', 'json', 'send-credential-insecurely', ...testOptionNames], 0);
  const kind = args.one('kind');
  const url = args.one('url');
  if (!kind || !url) throw new UsageError(`usage: ${connectionsUsage[1]}`);
  const definition = connectionDefinition(kind);
  if (!definition) throw new UsageError(`--kind must be one of ${kinds.join(', ')}, not "${kind}"`);
  const problem = urlProblem(url);
  if (problem) throw new UsageError(`--url ${url}: ${problem}`);
  const options = testOptionsFrom(args, kind);
  const insecure = !!options.credential && credentialTravelsUnprotected(kind, url, options.skipTlsVerify);
  if (insecure && !args.has('send-credential-insecurely')) {
    throw new UsageError(`the credential would travel unprotected to ${url} (${options.skipTlsVerify ? 'TLS not verified' : 'plain http'}); pass --send-credential-insecurely to accept that (recorded on the connection)`);
  }
  return async (db) => {
    const environments = args.all('environment').map((reference) => findEnvironment(db.environments.list(), reference));
    const same = db.connections.list().filter((c) => c.kind === kind && c.url === url.trim() && c.status !== 'deleted');
    const registered = same.find((c) => c.status !== 'discovered');
    if (registered) throw new RefusedError(`${url} is already a ${definition.displayName} connection: ${registered.id} "${registered.name}" (${registered.status.toUpperCase()}); change it with "connections status"`);
    let connection = same[0] ?? db.connections.createManual({ kind, name: args.one('name') ?? `${definition.displayName} ${new URL(url).host}`, url });
    if (insecure) db.connections.acceptInsecureCredential(connection.id, url);
    const { test } = await db.connections.register(connection.id, {
      name: args.one('name'),
      skipTlsVerify: options.skipTlsVerify || undefined,
      test: cliTester(options),
    });
    if (environments.length) for (const environment of environments) db.environments.assign(environment.id, [connection.id]);
    connection = db.connections.get(connection.id)!;
    return {
      json: { connection: connectionJson(connection, db.environments.list()), test: test ?? null, credentialStored: false },
      text:
        `${connection.status.toUpperCase()}  ${connection.id}  ${connection.name}  ${connection.url}\n` +
        `  test: ${testSentence(test)}\n` +
        (environments.length ? `  environments: ${environments.map((e) => e.name).join(', ')}\n` : '') +
        credentialNote(options),
    };
  };
};

/**
 * Moves a connection along the status machine. CONNECTED runs the test and moves only when it
 * passes; leaving maintenance runs it too. A transition the machine does not allow, or a failed
 * test, is refused (exit 1) with the statuses it could go to.
 */
const status: Command = (args) => {
  args.expectOnly(['db', 'to', 'json', 'kubeconfig', ...testOptionNames], 1);
  const [reference] = args.positional;
  const to = args.one('to');
  if (!reference || !to) throw new UsageError(`usage: ${connectionsUsage[2]}`);
  if (!connectionStatuses.includes(to as ConnectionStatus)) throw new UsageError(`--to must be one of ${connectionStatuses.join(', ')}`);
  return async (db) => {
    const before = findConnection(db.connections.list(), reference);
    const options = testOptionsFrom(args, before.kind);
    const kubeconfigs = args.all('kubeconfig');
    const tester = cliTester(options, kubeconfigs.length ? kubeconfigs : existingKubeconfigFiles({ settingPaths: [], env: process.env }));
    let test: TestResult | undefined;
    const testing = async (connection: Connection) => (test = await tester(connection));
    let after: Connection;
    try {
      after = await db.connections.setStatus(before.id, to as ConnectionStatus, testing);
    } catch (error) {
      if (error instanceof InvalidTransitionError || error instanceof ValidationError) throw new RefusedError(error.message);
      throw error;
    }
    return {
      json: { previous: before.status, connection: connectionJson(after, db.environments.list()), test: test ?? null, credentialStored: false },
      text: `${after.name}: ${before.status.toUpperCase()} → ${after.status.toUpperCase()}\n` + (test ? `  test: ${testSentence(test)}\n${credentialNote(options)}` : ''),
    };
  };
};

/** `connections list|register|status`, on the `--db` file. */
export function connectionsCommand(argv: readonly string[], logger: Logger): Promise<CommandOutput> {
  const [verb, ...rest] = argv;
  const command = new Map([['list', list], ['register', register], ['status', status]]).get(verb);
  if (!command) throw new UsageError(`usage:\n${connectionsUsage.map((u) => `  cli.js ${u}`).join('\n')}`);
  const args = new Args(rest, ['json', 'insecure-skip-tls-verify', 'send-credential-insecurely']);
  return withDatabase(args, logger, command(args));
}
