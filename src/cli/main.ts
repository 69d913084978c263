/**
 * The headless CLI over core/, for scripts and CI:
 *   node dist/cli.js discover [--kubeconfig FILE]... [--context NAME]... [--db FILE] [--watch SECONDS] [--json]
 *   node dist/cli.js test-connection --kind K --url URL [--token-env VAR | --basic-env VAR] [--ca FILE] [--json]
 *   node dist/cli.js connections list|register|status ... --db FILE
 *   node dist/cli.js environments list|create|assign ... --db FILE
 * Exit 0 done; 1 refused or failed (a transition the status machine does not allow, with the
 * allowed ones; a test that did not reach; a database that could not be saved); 2 bad input.
 */
import { Logger } from '../core/common/logger';
import { Args, RefusedError, UsageError } from './args';
import { connectionsCommand, connectionsUsage } from './connectionsCommand';
import { DiscoverReport, discoverCommand } from './discoverCommand';
import { environmentsCommand, environmentsUsage } from './environmentsCommand';
import { testConnectionCommand, testConnectionUsage } from './testConnectionCommand';

const usage = ['discover [--kubeconfig FILE]... [--context NAME]... [--db FILE] [--watch SECONDS] [--json]', testConnectionUsage, ...connectionsUsage, ...environmentsUsage]
  .map((u, i) => `${i === 0 ? 'usage: ' : '       '}cli.js ${u}`)
  .join('\n');

/** Errors always reach stderr; the rest only with --verbose. Counts the errors written, so a failure is said once. */
function stderrLogger(verbose: boolean): Logger & { readonly errors: number } {
  let errors = 0;
  const write = (level: string) => (message: string) => {
    if (level === 'error') errors++;
    if (verbose || level === 'error') process.stderr.write(`[${level}] ${message}\n`);
  };
  return {
    trace: () => undefined,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    get errors() {
      return errors;
    },
  };
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
  const json = rest.includes('--json');
  const logger = stderrLogger(rest.includes('--verbose'));
  const withoutVerbose = rest.filter((a) => a !== '--verbose');
  if (command === 'connections' || command === 'environments') {
    const output = await (command === 'connections' ? connectionsCommand : environmentsCommand)(withoutVerbose, logger);
    process.stdout.write(json ? JSON.stringify(output.json) + '\n' : output.text);
    return 0;
  }
  if (command === 'test-connection') {
    const args = new Args(withoutVerbose, ['json', 'insecure-skip-tls-verify']);
    const { result, exitCode } = await testConnectionCommand(args);
    if (json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`${result.kind} ${result.url}: ${result.reached ? `reached (${result.path}) in ${result.latencyMs} ms${result.serverVersion ? `, version ${result.serverVersion}` : ''}` : 'NOT reached'}\n${result.steps.map((s) => `  ${s}\n`).join('')}`);
    if (!result.reached) process.stderr.write(`not reached (${result.failure?.class}): ${result.failure?.advice}\n`);
    return exitCode;
  }
  if (command !== 'discover') {
    throw new UsageError(command ? `unknown command "${command}"\n${usage}` : usage);
  }
  const args = new Args(withoutVerbose, ['json']);
  const { report, exitCode } = await discoverCommand(args, logger);
  if (json) process.stdout.write(JSON.stringify(report) + '\n');
  else printSummary(report);
  if (exitCode !== 0 && logger.errors === 0) {
    const reason =
      report.failures[0]?.reason ? `${report.failures[0].context}: ${report.failures[0].reason}` : report.clusters.find((c) => c.state === 'error')?.reason ?? 'no context could be discovered';
    process.stderr.write(`discover failed: ${reason}\n`);
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      process.stderr.write(`${message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof RefusedError ? 'refused' : 'error'}: ${message}\n`);
    process.exit(1);
  },
);
