import { ApiError, KubeObject } from './objectStore';

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) {
    return patch;
  }
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) {
      continue; // strategic-merge directives ($patch, $retainKeys, ...) have no merge-patch meaning
    }
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch: add, remove, replace, test. */
function jsonPatch(target: Json, ops: { op: string; path: string; value?: Json }[]): Json {
  const doc = JSON.parse(JSON.stringify(target)) as Json;
  for (const op of ops) {
    const parts = pointer(op.path);
    const last = parts.pop()!;
    let parent = doc as Record<string, Json> | Json[];
    for (const part of parts) {
      parent = (parent as Record<string, Json>)[part] as Record<string, Json>;
      if (parent === undefined) throw new ApiError(422, 'Invalid', `the path "${op.path}" does not exist`);
    }
    const container = parent as Record<string, Json>;
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) (parent as Json[]).splice(last === '-' ? parent.length : Number(last), 0, op.value);
        else container[last] = op.value;
        break;
      case 'replace':
        if (!(last in container)) throw new ApiError(422, 'Invalid', `the path "${op.path}" does not exist`);
        container[last] = op.value;
        break;
      case 'remove':
        if (Array.isArray(parent)) (parent as Json[]).splice(Number(last), 1);
        else delete container[last];
        break;
      case 'test':
        if (JSON.stringify(container[last]) !== JSON.stringify(op.value)) throw new ApiError(422, 'Invalid', `test failed at "${op.path}"`);
        break;
      default:
        throw new ApiError(422, 'Invalid', `unsupported JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}

/**
 * Applies a PATCH body by its content type. Strategic merge patches are applied as merge patches
 * (lists are replaced, not merged by key): close enough for kubectl apply of whole lists.
 */
export function applyPatch(current: KubeObject, body: string, contentType: string): KubeObject {
  let patch: Json;
  try {
    patch = JSON.parse(body);
  } catch {
    throw new ApiError(400, 'BadRequest', 'the patch is not valid JSON');
  }
  if (contentType.startsWith('application/json-patch+json')) {
    if (!Array.isArray(patch)) throw new ApiError(400, 'BadRequest', 'a JSON patch must be an array of operations');
    return jsonPatch(current, patch as { op: string; path: string; value?: Json }[]) as KubeObject;
  }
  if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')) {
    return mergePatch(current, patch) as KubeObject;
  }
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
}
