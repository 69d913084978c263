/**
 * The headless CLI over core/, for scripts and CI:
 *   node dist/cli.js discover [--kubeconfig FILE]... [--context NAME]... [--db FILE] [--watch SECONDS] [--json]
 *   node dist/cli.js test-connection --kind K --url URL [--token-env VAR | --basic-env VAR] [--ca FILE] [--json]
 * Exit 0 on success; otherwise non-zero with a one-line reason on stderr.
 */
import { Logger } from '../core/common/logger';
import { Args, UsageError } from './args';
import { DiscoverReport, discoverCommand } from './discoverCommand';
import { testConnectionCommand, testConnectionUsage } from './testConnectionCommand';

const usage = `usage: cli.js discover [--kubeconfig FILE]... [--context NAME]... [--db FILE] [--watch SECONDS] [--json]\n       cli.js ${testConnectionUsage}`;

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string) => {
    if (verbose || level === 'error') process.stderr.write(`[${level}] ${message}\n`);
  };
  return { trace: () => undefined, debug: write('debug'), info: write('info'), warn: write('warn'), error: () => undefined };
}

function printSummary(report: DiscoverReport): void {
  for (const c of report.clusters) {
    process.stdout.write(`${c.context}  ${c.server}  cluster ${c.clusterId ?? '?'}  ${c.state}  ${c.objects} objects, ${c.kinds.length} types, ${c.durationMs ?? '-'} ms\n`);
    for (const k of c.kinds.filter((k) => k.state !== 'synced')) {
      process.stdout.write(`  ${k.kind} (${k.group || 'core'}/${k.resource}): ${k.state}${k.reason ? ` - ${k.reason}` : ''}\n`);
    }
  }
  for (const f of report.failures) process.stdout.write(`${f.context}: ${f.reason}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'test-connection') {
    const args = new Args(rest, ['json', 'insecure-skip-tls-verify']);
    const { result, exitCode } = await testConnectionCommand(args);
    if (args.has('json')) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`${result.kind} ${result.url}: ${result.reached ? `reached (${result.path}) in ${result.latencyMs} ms${result.serverVersion ? `, version ${result.serverVersion}` : ''}` : 'NOT reached'}\n${result.steps.map((s) => `  ${s}\n`).join('')}`);
    if (!result.reached) process.stderr.write(`not reached (${result.failure?.class}): ${result.failure?.advice}\n`);
    return exitCode;
  }
  if (command !== 'discover') {
    throw new UsageError(command ? `unknown command "${command}"\n${usage}` : usage);
  }
  const args = new Args(rest, ['json', 'verbose']);
  const { report, exitCode } = await discoverCommand(args, stderrLogger(args.has('verbose')));
  if (args.has('json')) process.stdout.write(JSON.stringify(report) + '\n');
  else printSummary(report);
  if (exitCode !== 0) {
    const reason =
      report.failures[0]?.reason ? `${report.failures[0].context}: ${report.failures[0].reason}` : report.clusters.find((c) => c.state === 'error')?.reason ?? 'no context could be discovered';
    process.stderr.write(`discover failed: ${reason}\n`);
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof UsageError ? '' : 'error: '}${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
