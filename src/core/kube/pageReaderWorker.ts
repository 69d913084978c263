import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { NotJsonError, summarizePage } from './listPageReader';
import type { PageReply, PageRequest } from './workerPageReader';

/**
 * The worker that parses and summarizes list pages for the extension host: the page's JSON and
 * its garbage stay in this thread's heap, and only the summaries cross. Each reply goes on its
 * own port and is announced on the worker's: the reader takes replies one per turn.
 */
const replies = (workerData as { replies: MessagePort }).replies;
parentPort?.on('message', ({ id, body, secret }: PageRequest) => {
  let reply: PageReply;
  try {
    reply = { id, page: summarizePage(Buffer.from(body.buffer, body.byteOffset, body.byteLength), secret) };
  } catch (error) {
    reply = { id, error: error instanceof NotJsonError ? 'not-json' : String((error as Error)?.message ?? error) };
  }
  replies.postMessage(reply);
  parentPort?.postMessage(id);
});
