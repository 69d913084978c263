import { ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { ApiError, StoredObject } from './objectStore';
import { SimResourceType, apiVersionOf, builtinResourceTypes } from './resourceTypes';

/** The response forms a client can ask for with its Accept header. */
export type ResponseForm = 'object' | 'metadata' | 'table';

export function responseForm(accept: string | undefined): ResponseForm {
  return negotiate(accept).form;
}

/**
 * The form asked for and, for the metadata form, which kind: PartialObjectMetadata (one object)
 * or PartialObjectMetadataList. The first acceptable part wins, as the API server's content
 * negotiation does.
 */
export function negotiate(accept: string | undefined): { form: ResponseForm; metadataKind?: 'PartialObjectMetadata' | 'PartialObjectMetadataList' } {
  for (const part of (accept ?? '').split(',')) {
    if (/as=Table/.test(part)) return { form: 'table' };
    const metadata = /as=(PartialObjectMetadata(?:List)?)(?:;|$)/.exec(part.trim());
    if (metadata) return { form: 'metadata', metadataKind: metadata[1] as 'PartialObjectMetadata' | 'PartialObjectMetadataList' };
    if (/application\/json|\*\/\*/.test(part) && !/as=/.test(part)) return { form: 'object' };
  }
  return { form: 'object' };
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** kube-apiserver compresses an answer larger than this (k8s.io/apiserver, responsewriters). */
const gzipThresholdBytes = 128 * 1024;

/**
 * A GET or LIST answer as kube-apiserver sends it (APIResponseCompression, on by default since
 * 1.16): gzipped at level 1 when the client accepts gzip and the answer is over 128 KB, as
 * kubectl (Go's transport asks for it on its own) and every client-go program get it. Calls
 * `sent` with whether it was compressed.
 */
export function sendAnswer(res: ServerResponse, body: string, sent: (gzipped: boolean) => void = () => undefined): void {
  if (!acceptsGzip(res.req.headers['accept-encoding']) || Buffer.byteLength(body) <= gzipThresholdBytes) {
    sendJson(res, 200, body);
    sent(false);
    return;
  }
  // On the thread pool: the simulated server keeps serving its other clients meanwhile.
  gzip(body, { level: 1 }, (error, zipped) => {
    if (error) {
      res.destroy(error);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', 'Content-Length': zipped.length });
    res.end(zipped);
    sent(true);
  });
}

/** Whether an Accept-Encoding header accepts gzip ("gzip", "gzip;q=0.8"; not "gzip;q=0"). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const quality = params.find((p) => p.startsWith('q='));
    return coding === 'gzip' && (!quality || Number(quality.slice(2)) > 0);
  });
}

export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export function sendStatus(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.code, statusBody(error.code, error.reason, error.message, error.details));
}

function age(creationTimestamp: unknown, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(String(creationTimestamp))) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

const tableColumns = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp of the object.', priority: 0 },
];

function tableRow(object: StoredObject, now: number): string {
  const partial = JSON.parse(object.metadataJson) as { metadata: { creationTimestamp?: string } };
  return JSON.stringify({ cells: [object.name, age(partial.metadata.creationTimestamp, now)], object: partial });
}

/** A list body in the requested form, assembled from the stored JSON text without re-serializing objects. */
export function listBody(type: SimResourceType, items: StoredObject[], form: ResponseForm, listMeta: Record<string, unknown>): string {
  const meta = JSON.stringify(listMeta);
  if (form === 'table') {
    const now = Date.now();
    return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${meta},"columnDefinitions":${JSON.stringify(tableColumns)},"rows":[${items
      .map((o) => tableRow(o, now))
      .join(',')}]}`;
  }
  if (form === 'metadata') {
    return `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${meta},"items":[${items.map((o) => o.metadataJson).join(',')}]}`;
  }
  return `{"kind":"${type.kind}List","apiVersion":"${apiVersionOf(type)}","metadata":${meta},"items":[${listedItems(type, items).join(',')}]}`;
}

/**
 * The items of a list as the API server writes them: those of a built-in type without their
 * apiVersion and kind (its typed lists leave them out; kubernetes/kubernetes#3030), those of a
 * custom resource with them. A stored object's JSON starts with the two (see ObjectStore).
 */
function listedItems(type: SimResourceType, items: StoredObject[]): string[] {
  if (!builtinResourceTypes.some((t) => t.group === type.group && t.resource === type.resource)) return items.map((o) => o.json);
  const typeMeta = JSON.stringify({ apiVersion: apiVersionOf(type), kind: type.kind }).slice(0, -1);
  return items.map((o) => (o.json.startsWith(typeMeta + ',') ? `{${o.json.slice(typeMeta.length + 1)}` : o.json));
}

export function objectBody(object: StoredObject, form: ResponseForm, type: SimResourceType): string {
  if (form === 'table') {
    return listBody(type, [object], 'table', { resourceVersion: String(object.rv) });
  }
  return form === 'metadata' ? object.metadataJson : object.json;
}
