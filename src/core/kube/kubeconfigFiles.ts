import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface KubeconfigLookup {
  /** The `meshery.kubeconfig.paths` setting; when non-empty it replaces $KUBECONFIG and the default. */
  readonly settingPaths: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir?: string;
}

/** The kubeconfig files to read, in kubectl's order of precedence. */
export function kubeconfigCandidates(lookup: KubeconfigLookup): string[] {
  const home = lookup.homeDir ?? os.homedir();
  const expand = (p: string) => (p.startsWith('~') ? path.join(home, p.slice(1)) : p);
  const fromSetting = lookup.settingPaths.map((p) => p.trim()).filter(Boolean);
  if (fromSetting.length > 0) {
    return fromSetting.map(expand);
  }
  const fromEnv = (lookup.env.KUBECONFIG ?? '').split(path.delimiter).map((p) => p.trim()).filter(Boolean);
  if (fromEnv.length > 0) {
    return fromEnv.map(expand);
  }
  return [path.join(home, '.kube', 'config')];
}

/** The candidates that exist as files (kubectl silently skips missing ones, and so do we). */
export function existingKubeconfigFiles(lookup: KubeconfigLookup): string[] {
  return kubeconfigCandidates(lookup).filter((file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

export type KubeconfigInspection =
  | { readonly ok: true; readonly contexts: string[]; readonly currentContext: string | undefined }
  | { readonly ok: false; readonly reason: string };

/** Reads a kubeconfig enough to say whether it is usable and which contexts it offers. */
export function inspectKubeconfig(file: string): KubeconfigInspection {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return { ok: false, reason: `${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, reason: `${file} is not a kubeconfig (expected a mapping with clusters, users and contexts)` };
  }
  const config = doc as { contexts?: unknown; 'current-context'?: unknown };
  if (!Array.isArray(config.contexts)) {
    return { ok: false, reason: `${file} has no contexts list` };
  }
  const contexts = config.contexts
    .map((c: unknown) => (c && typeof c === 'object' ? (c as { name?: unknown }).name : undefined))
    .filter((name): name is string => typeof name === 'string' && name.length > 0);
  const current = typeof config['current-context'] === 'string' ? config['current-context'] : undefined;
  return { ok: true, contexts, currentContext: current || undefined };
}
