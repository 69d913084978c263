import * as fs from 'node:fs';
import { CredentialValues } from '../core/connectivity/testers';
import { Args, UsageError } from './args';

/** The options that say how to test a connection, shared by `test-connection` and `connections`. */
export const testOptionNames = ['token-env', 'basic-env', 'ca', 'insecure-skip-tls-verify', 'timeout'] as const;
export const testOptionsUsage = '[--token-env VAR | --basic-env VAR] [--ca FILE] [--insecure-skip-tls-verify] [--timeout MS]';

export interface TestOptions {
  readonly credential: CredentialValues | undefined;
  /** The name of the environment variable the credential came from, to say so (never its value). */
  readonly credentialSource: string | undefined;
  readonly ca: Buffer | undefined;
  readonly skipTlsVerify: boolean;
  readonly timeoutMs: number;
}

/**
 * Reads the test options. The credential comes from an environment variable, never from the
 * command line (it would show in `ps`); Kubernetes takes a bearer token only.
 */
export function testOptionsFrom(args: Args, kind: string): TestOptions {
  const tokenVar = args.one('token-env');
  const basicVar = args.one('basic-env');
  if (tokenVar && basicVar) throw new UsageError('give --token-env or --basic-env, not both');
  if (basicVar && kind === 'kubernetes') throw new UsageError('a Kubernetes API server takes a bearer token: use --token-env, not --basic-env');
  return {
    credential: tokenVar ? { token: readVariable(tokenVar) } : basicVar ? basicCredential(basicVar) : undefined,
    credentialSource: tokenVar ?? basicVar,
    ca: readCa(args.one('ca')),
    skipTlsVerify: args.has('insecure-skip-tls-verify'),
    timeoutMs: args.positiveNumber('timeout') ?? 10_000,
  };
}

function readVariable(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new UsageError(`the environment variable ${name} is not set`);
  return value;
}

function basicCredential(variable: string): CredentialValues {
  const value = readVariable(variable);
  const colon = value.indexOf(':');
  if (colon < 0) throw new UsageError(`${variable} must hold user:password`);
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

function readCa(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read the CA file ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}
