import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { ClusterAccess } from './kubeconfig';

export class AuthConfigError extends Error {}

interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

/** Gets the bearer token of a context: static, from a file, from an exec plugin, or an OIDC id-token. Exec results are cached until they expire. */
export class BearerTokenSource {
  private cached: { token: string; expiresAt: number } | undefined;

  constructor(private readonly access: ClusterAccess) {}

  /** Undefined when the context authenticates with a client certificate only. */
  async token(): Promise<string | undefined> {
    const a = this.access;
    if (a.token) return a.token;
    if (a.tokenFile) {
      try {
        return fs.readFileSync(a.tokenFile, 'utf8').trim();
      } catch (error) {
        throw new AuthConfigError(`cannot read the token file ${a.tokenFile} (${(error as NodeJS.ErrnoException).code ?? error})`);
      }
    }
    if (a.exec) {
      if (this.cached && this.cached.expiresAt > Date.now() + 10_000) return this.cached.token;
      const status = await runExecPlugin(a);
      if (!status.token) {
        throw new AuthConfigError(`the exec credential plugin "${a.exec.command}" returned no token (client certificates from exec plugins are not supported)`);
      }
      const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Date.now() + 5 * 60_000;
      this.cached = { token: status.token, expiresAt };
      return status.token;
    }
    if (a.authProvider) {
      const idToken = a.authProvider.config['id-token'];
      if (a.authProvider.name === 'oidc' && idToken) return idToken;
      throw new AuthConfigError(
        `the auth provider "${a.authProvider.name}" is not supported${a.authProvider.name === 'oidc' ? ' without an id-token (log in with kubectl first)' : ''}; use an exec credential plugin`,
      );
    }
    return undefined;
  }

  /** After a 401 the cached exec token may be stale: the next call runs the plugin again. */
  invalidate(): void {
    this.cached = undefined;
  }
}

function runExecPlugin(access: ClusterAccess): Promise<ExecCredentialStatus> {
  const exec = access.exec!;
  const env = { ...process.env, ...Object.fromEntries(exec.env.map((e) => [e.name, e.value])) };
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false, cluster: { server: access.server } },
  });
  return new Promise((resolve, reject) => {
    execFile(exec.command, [...exec.args], { env, cwd: exec.baseDir, timeout: 30_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found on PATH' : `failed: ${(stderr || error.message).trim().split('\n')[0]}`;
        reject(new AuthConfigError(`the exec credential plugin "${exec.command}" ${why}`));
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as { status?: ExecCredentialStatus };
        resolve(parsed.status ?? {});
      } catch {
        reject(new AuthConfigError(`the exec credential plugin "${exec.command}" printed something that is not an ExecCredential`));
      }
    });
  });
}
