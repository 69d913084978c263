import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentDefinition, ModelDefinition } from './types';

export interface ImportResult {
  readonly models: ModelDefinition[];
  /** Files that could not be used, each with why; the rest still load. */
  readonly problems: { readonly file: string; readonly reason: string }[];
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function readJson(file: string): Json {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const object = asObject(parsed);
  if (!object) throw new Error('not a JSON object');
  return object;
}

/** Finds model.json files below a folder (Meshery lays them out as <model>/<version>/<model-version>/model.json). */
function findModelFiles(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const here = entries.some((e) => e.isFile() && e.name === 'model.json') ? [path.join(dir, 'model.json')] : [];
  const below = entries.filter((e) => e.isDirectory() && e.name !== 'components' && !e.name.startsWith('.')).flatMap((e) => findModelFiles(path.join(dir, e.name), depth + 1));
  return [...here, ...below];
}

/**
 * Parses one Meshery component definition: `component.version` is the apiVersion
 * ("group/version" or "v1") and `component.kind` the kind; `metadata.isNamespaced` and
 * `styles` are optional.
 */
function parseComponent(doc: Json, modelName: string): ComponentDefinition {
  const component = asObject(doc.component);
  const kind = text(component?.kind);
  const apiVersion = text(component?.version);
  if (!component || !kind || !apiVersion) {
    throw new Error('component.kind and component.version (the apiVersion) are required');
  }
  const owner = text(asObject(doc.model)?.name);
  if (owner && owner !== modelName) {
    throw new Error(`it belongs to model "${owner}", not "${modelName}"`);
  }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const styles = asObject(doc.styles);
  const metadata = asObject(doc.metadata);
  return {
    group,
    version,
    kind,
    namespaced: metadata?.isNamespaced !== false,
    displayName: text(doc.displayName),
    styles: styles ? { primaryColor: text(styles.primaryColor), secondaryColor: text(styles.secondaryColor) } : undefined,
  };
}

function parseModel(file: string, problems: ImportResult['problems']): ModelDefinition {
  const doc = readJson(file);
  const name = text(doc.name);
  if (!name) throw new Error('the model has no name');
  const metadata = asObject(doc.metadata) ?? {};
  const category = text(doc.category) ?? text(asObject(doc.category)?.name) ?? 'Uncategorized';
  const components: ComponentDefinition[] = [];
  const inline = Array.isArray(doc.components) ? (doc.components as unknown[]) : [];
  inline.forEach((c, i) => {
    try {
      components.push(parseComponent(asObject(c) ?? {}, name));
    } catch (error) {
      problems.push({ file: `${file}#components[${i}]`, reason: (error as Error).message });
    }
  });
  const componentDir = path.join(path.dirname(file), 'components');
  const componentFiles = fs.existsSync(componentDir) ? fs.readdirSync(componentDir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const f of componentFiles) {
    const componentFile = path.join(componentDir, f);
    try {
      components.push(parseComponent(readJson(componentFile), name));
    } catch (error) {
      problems.push({ file: componentFile, reason: (error as Error).message });
    }
  }
  if (components.length === 0) throw new Error('the model has no usable component definitions');
  const svg = text(metadata.svgColor);
  return {
    name,
    displayName: text(doc.displayName) ?? name,
    category,
    primaryColor: text(metadata.primaryColor) ?? '#00B39F',
    secondaryColor: text(metadata.secondaryColor) ?? '#00D3A9',
    icon: svg && svg.startsWith('<svg') ? { svg } : { glyph: name.slice(0, 2).toUpperCase(), shape: 'circle' },
    specificity: 'imported',
    components,
    source: file,
  };
}

/** Imports every Meshery model found in the given folders. A bad file is reported; the others load. */
export function importMesheryModels(folders: readonly string[]): ImportResult {
  const models: ModelDefinition[] = [];
  const problems: { file: string; reason: string }[] = [];
  for (const folder of folders) {
    if (!fs.existsSync(folder)) {
      problems.push({ file: folder, reason: 'the folder does not exist' });
      continue;
    }
    const files = findModelFiles(folder);
    if (files.length === 0) problems.push({ file: folder, reason: 'no model.json found in it' });
    for (const file of files) {
      try {
        models.push(parseModel(file, problems));
      } catch (error) {
        problems.push({ file, reason: error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message });
      }
    }
  }
  return { models, problems };
}
