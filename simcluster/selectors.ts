/** Kubernetes label and field selectors, as the API server parses and applies them. */

type Requirement =
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!exists'; key: string };

export type Selector = (labels: Record<string, string>) => boolean;

export class SelectorError extends Error {}

/** Splits on commas that are not inside a parenthesised value set. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseRequirement(text: string): Requirement {
  let m = /^(!)?\s*([A-Za-z0-9_./-]+)$/.exec(text);
  if (m) {
    return { op: m[1] ? '!exists' : 'exists', key: m[2] };
  }
  m = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (m) {
    return { op: m[2] as 'in' | 'notin', key: m[1], values: m[3].split(',').map((v) => v.trim()) };
  }
  m = /^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/.exec(text);
  if (m) {
    return { op: m[2] === '!=' ? '!=' : '=', key: m[1], value: m[3] };
  }
  throw new SelectorError(`unable to parse requirement: ${text}`);
}

function matches(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case '=':
      return has && labels[req.key] === req.value;
    case '!=':
      return !has || labels[req.key] !== req.value;
    case 'in':
      return has && req.values.includes(labels[req.key]);
    case 'notin':
      return !has || !req.values.includes(labels[req.key]);
  }
}

export function parseLabelSelector(text: string | null | undefined): Selector {
  if (!text) {
    return () => true;
  }
  const requirements = splitTopLevel(text).map(parseRequirement);
  return (labels) => requirements.every((r) => matches(r, labels));
}

const supportedFields = new Set(['metadata.name', 'metadata.namespace']);

/** Field selectors: metadata.name and metadata.namespace with =, == and != (what every type supports). */
export function parseFieldSelector(text: string | null | undefined): (fields: Record<string, string>) => boolean {
  if (!text) {
    return () => true;
  }
  const requirements = splitTopLevel(text).map((part) => {
    const req = parseRequirement(part);
    if (req.op !== '=' && req.op !== '!=') {
      throw new SelectorError(`field selector supports only =, == and !=: ${part}`);
    }
    if (!supportedFields.has(req.key)) {
      throw new SelectorError(`"${req.key}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    return req;
  });
  return (fields) => requirements.every((r) => matches(r, fields));
}
