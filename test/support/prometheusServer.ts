import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashSync } from 'bcryptjs';
import { freePort } from './vscodeServer';

export interface PrometheusFixture {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus server (Debian package `prometheus`) on 127.0.0.1, optionally requiring basic
 * auth through its web config file (bcrypt-hashed password, as Prometheus requires).
 */
export async function startPrometheus(basicAuth?: { username: string; password: string }, options: { scrapeItself?: boolean; alsoScrape?: readonly string[]; port?: number } = {}): Promise<PrometheusFixture> {
  try {
    execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('The Prometheus tests need the Debian package "prometheus" (scripts/setup-test-env.sh installs it): apt-get install prometheus');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-prometheus-'));
  const port = options.port ?? (await freePort());
  // Scraping itself every 2 s gives a few hundred real metric names and series with data (for the panel and its sparklines).
  const selfScrape = [
    'scrape_configs:',
    '- job_name: prometheus',
    ...(basicAuth ? ['  basic_auth:', `    username: ${JSON.stringify(basicAuth.username)}`, `    password: ${JSON.stringify(basicAuth.password)}`] : []),
    '  static_configs:',
    `  - targets: ['127.0.0.1:${port}']`,
    ...(options.alsoScrape?.length ? ['- job_name: demo-app', '  static_configs:', `  - targets: [${options.alsoScrape.map((t) => `'${t}'`).join(', ')}]`] : []),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), options.scrapeItself ? `global:\n  scrape_interval: 2s\n${selfScrape}\n` : 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
  const args = [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    '--log.level=warn',
  ];
  if (basicAuth) {
    fs.writeFileSync(path.join(dir, 'web.yml'), `basic_auth_users:\n  ${basicAuth.username}: ${hashSync(basicAuth.password, 4)}\n`);
    args.push(`--web.config.file=${path.join(dir, 'web.yml')}`);
  }
  args.push(`--web.listen-address=127.0.0.1:${port}`);
  const child = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = basicAuth ? { Authorization: `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}` } : {};
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`, { headers })).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Prometheus did not become ready: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
