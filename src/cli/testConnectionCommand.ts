import { testConnection } from '../core/connectivity/connectionTester';
import { TestResult } from '../core/connectivity/testers';
import { Connection } from '../core/connections/types';
import { connectionDefinition } from '../core/registry/connectionDefinitions';
import { Args, UsageError } from './args';
import { TestOptions, testOptionNames, testOptionsFrom, testOptionsUsage } from './testOptions';

export const testConnectionUsage = `test-connection --kind kubernetes|prometheus|grafana --url URL ${testOptionsUsage} [--json]`;

/** How the CLI tests a connection: the core tester with the credential, CA and timeout given on the command line. */
export function cliTester(options: TestOptions, kubeconfigFiles: readonly string[] = []): (connection: Connection) => Promise<TestResult> {
  return (connection) =>
    testConnection(connection.skipTlsVerify || !options.skipTlsVerify ? connection : { ...connection, skipTlsVerify: true }, options.credential, {
      kubeconfigFiles,
      timeoutMs: options.timeoutMs,
      // One thing is tested, and --ca is its CA, whatever its kind.
      serviceCa: options.ca,
      clusterCa: options.ca,
      // As curl and kubectl: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
      proxy: { env: process.env },
    });
}

/** A connection that exists only for one test: nothing is stored. */
function unsavedConnection(kind: string, url: string): Connection {
  const definition = connectionDefinition(kind);
  return {
    id: '',
    name: url,
    description: '',
    url: url.replace(/\/+$/, ''),
    kind,
    type: definition?.type ?? '',
    subType: definition?.subType ?? '',
    credentialId: undefined,
    modelReference: { model: kind, component: kind },
    metadata: {},
    status: 'discovered',
    environments: [],
    clusterId: undefined,
    objectUid: undefined,
    skipTlsVerify: false,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** `test-connection`: one connectivity test, nothing stored; exit 0 only when the service was reached. */
export async function testConnectionCommand(args: Args): Promise<{ result: TestResult; exitCode: number }> {
  args.expectOnly(['kind', 'url', 'json', ...testOptionNames], 0);
  const kind = args.one('kind');
  const url = args.one('url');
  if (!kind || !url) throw new UsageError(`usage: ${testConnectionUsage}`);
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  if (!['kubernetes', 'prometheus', 'grafana'].includes(kind)) throw new UsageError(`--kind must be kubernetes, prometheus or grafana, not "${kind}"`);
  const result = await cliTester(testOptionsFrom(args, kind))(unsavedConnection(kind, url));
  return { result, exitCode: result.reached ? 0 : 1 };
}
