import * as fs from 'node:fs';
import { TestResult, testGrafana, testKubernetes, testPrometheus, CredentialValues } from '../core/connectivity/testers';
import { ClusterAccess } from '../core/kube/kubeconfig';
import { Args, UsageError } from './args';

export const testConnectionUsage = 'test-connection --kind kubernetes|prometheus|grafana --url URL [--token-env VAR | --basic-env VAR] [--ca FILE] [--insecure-skip-tls-verify] [--timeout MS] [--json]';

/** Reads the credential from an environment variable, never from the command line (it would show in `ps`). */
function credentialFrom(args: Args): CredentialValues | undefined {
  const tokenVar = args.one('token-env');
  const basicVar = args.one('basic-env');
  if (tokenVar && basicVar) throw new UsageError('give --token-env or --basic-env, not both');
  const read = (name: string) => {
    const value = process.env[name];
    if (value === undefined || value === '') throw new UsageError(`the environment variable ${name} is not set`);
    return value;
  };
  if (tokenVar) return { token: read(tokenVar) };
  if (basicVar) {
    const value = read(basicVar);
    const colon = value.indexOf(':');
    if (colon < 0) throw new UsageError(`${basicVar} must hold user:password`);
    return { username: value.slice(0, colon), password: value.slice(colon + 1) };
  }
  return undefined;
}

/** `test-connection`: one connectivity test; exit 0 only when the service was reached. */
export async function testConnectionCommand(args: Args): Promise<{ result: TestResult; exitCode: number }> {
  const unknown = args.unknown(['kind', 'url', 'token-env', 'basic-env', 'ca', 'json', 'insecure-skip-tls-verify', 'timeout']);
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}`);
  const kind = args.one('kind');
  const url = args.one('url');
  if (!kind || !url) throw new UsageError(`usage: ${testConnectionUsage}`);
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  const caFile = args.one('ca');
  let ca: Buffer | undefined;
  if (caFile) {
    try {
      ca = fs.readFileSync(caFile);
    } catch (error) {
      throw new UsageError(`cannot read the CA file ${caFile} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  }
  const credential = credentialFrom(args);
  const timeoutMs = args.number('timeout') ?? 10_000;
  const skipTlsVerify = args.has('insecure-skip-tls-verify');
  let result: TestResult;
  if (kind === 'kubernetes') {
    const access: ClusterAccess = {
      context: url,
      kubeconfigFile: '',
      clusterName: url,
      userName: credential?.username ?? '',
      namespace: undefined,
      server: url.replace(/\/+$/, ''),
      ca,
      insecureSkipTlsVerify: skipTlsVerify,
      tlsServerName: undefined,
      clientCert: undefined,
      clientKey: undefined,
      token: credential?.token,
      tokenFile: undefined,
      exec: undefined,
      authProvider: undefined,
    };
    result = await testKubernetes(access, { timeoutMs });
  } else if (kind === 'prometheus' || kind === 'grafana') {
    const target = { url, credential, ca, skipTlsVerify, timeoutMs };
    result = kind === 'prometheus' ? await testPrometheus(target) : await testGrafana(target);
  } else {
    throw new UsageError(`--kind must be kubernetes, prometheus or grafana, not "${kind}"`);
  }
  return { result, exitCode: result.reached ? 0 : 1 };
}
