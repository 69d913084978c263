import { Worker } from 'node:worker_threads';
import { Disposable } from '../common/disposable';
import { ListPageBody, ListPageReader, ListPageSummaries, NotJsonError, inlinePageReader } from './listPageReader';
import { ObjectSummary } from './objectSummary';

/** What the extension host sends the worker: a page's bytes, moved rather than copied when it can. */
export interface PageRequest {
  readonly id: number;
  readonly body: Uint8Array;
  readonly secret: boolean;
}

export type PageReply = { readonly id: number; readonly page: ListPageSummaries; readonly error?: undefined } | { readonly id: number; readonly error: string };

interface Waiting {
  readonly resolve: (page: ListPageSummaries) => void;
  readonly reject: (error: Error) => void;
  readonly known: (uid: string) => ObjectSummary | undefined;
}

/** Crashes after which the pages are read on the calling thread instead (a worker that cannot run). */
const maxWorkerFailures = 3;

/**
 * Reads list pages in a worker thread. In the extension host, parsing 100,000 objects' pages and
 * collecting their garbage held the event loop (and every extension's UI) for 100-400 ms at a
 * time; in the worker it holds nothing. The main thread only receives the summaries.
 */
export class WorkerPageReader implements ListPageReader, Disposable {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failures = 0;
  private disposed = false;
  private readonly counts = { inWorker: 0, onThisThread: 0 };

  constructor(
    /** The worker's script (dist/pageReaderWorker.js in the extension). */
    private readonly script: string,
    private readonly onFailure: (reason: string) => void = () => undefined,
  ) {}

  /** How many pages were read where (Meshery: Show Performance says it). */
  get pagesRead(): { readonly inWorker: number; readonly onThisThread: number } {
    return { ...this.counts };
  }

  read(page: ListPageBody): Promise<ListPageSummaries> {
    const worker = this.running();
    if (!worker) {
      this.counts.onThisThread++;
      return inlinePageReader.read(page);
    }
    const id = this.nextId++;
    return new Promise<ListPageSummaries>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, known: page.known });
      // Held while it has work: an idle worker must not keep a process (the CLI, a test) alive.
      worker.ref();
      const { body } = page;
      // A body that owns its whole buffer moves to the worker; a slice of Node's shared pool is copied.
      const owned = body.byteOffset === 0 && body.buffer.byteLength === body.byteLength;
      const request: PageRequest = { id, body, secret: page.secret };
      worker.postMessage(request, owned ? [body.buffer as ArrayBuffer] : []);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.fail('the page reader was closed');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private running(): Worker | undefined {
    if (this.disposed || this.failures >= maxWorkerFailures) return undefined;
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (reply: PageReply) => this.settle(reply));
    worker.on('error', (error) => this.crashed(worker, error.message));
    worker.on('exit', (code) => this.crashed(worker, `it exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private settle(reply: PageReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (reply.error !== undefined) {
      waiting.reject(reply.error === 'not-json' ? new NotJsonError('not JSON') : new Error(`the list page could not be read: ${reply.error}`));
      return;
    }
    this.counts.inWorker++;
    waiting.resolve(keepKnown(reply.page, waiting.known));
  }

  private crashed(worker: Worker, reason: string): void {
    if (worker !== this.worker || this.disposed) return;
    this.worker = undefined;
    this.failures++;
    this.onFailure(this.failures >= maxWorkerFailures ? `${reason}; list pages are now read on the extension host's thread` : reason);
    // The lists waiting for it fail and are retried, as after a network error.
    this.fail(`the worker reading list pages stopped: ${reason}`);
  }

  private fail(reason: string): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(new Error(reason));
  }
}

/**
 * The inventory's summary of an object that did not change replaces the one that crossed from the
 * worker: the new copy dies young, and the inventory's objects are not moved or copied again.
 */
function keepKnown(page: ListPageSummaries, known: (uid: string) => ObjectSummary | undefined): ListPageSummaries {
  const { summaries } = page;
  for (let i = 0; i < summaries.length; i++) {
    const kept = known(summaries[i].uid);
    if (kept && kept.resourceVersion !== '' && kept.resourceVersion === summaries[i].resourceVersion) summaries[i] = kept;
  }
  return page;
}
