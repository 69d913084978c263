import { parentPort } from 'node:worker_threads';
import { NotJsonError, summarizePage } from './listPageReader';
import type { PageReply, PageRequest } from './workerPageReader';

/**
 * The worker that parses and summarizes list pages for the extension host: the page's JSON and
 * its garbage stay in this thread's heap, and only the summaries cross.
 */
parentPort?.on('message', ({ id, body, secret }: PageRequest) => {
  let reply: PageReply;
  try {
    reply = { id, page: summarizePage(Buffer.from(body.buffer, body.byteOffset, body.byteLength), secret) };
  } catch (error) {
    reply = { id, error: error instanceof NotJsonError ? 'not-json' : String((error as Error)?.message ?? error) };
  }
  parentPort?.postMessage(reply);
});
