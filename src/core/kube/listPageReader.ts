import { nextTurn } from '../common/turns';
import { ObjectSummary, summarize, unchangedSummary } from './objectSummary';

/** One page of a list answer, reduced to what the inventory keeps. */
export interface ListPageSummaries {
  readonly resourceVersion: string | undefined;
  readonly continueToken: string | undefined;
  readonly summaries: ObjectSummary[];
}

/** A list page's body as the server sent it, and how to read it. */
export interface ListPageBody {
  readonly body: Buffer;
  /** Secrets keep no annotations beyond an allowlist (see summarize). */
  readonly secret: boolean;
  /** The summary the inventory holds for an object, kept when the object is unchanged. */
  readonly known: (uid: string) => ObjectSummary | undefined;
}

/** The body was not a JSON list page. */
export class NotJsonError extends Error {}

/**
 * Turns list pages into summaries. Parsing a page of 500 pods and summarizing it is most of a
 * sync's work: where it runs (this thread or a worker) is the reader's choice.
 */
export interface ListPageReader {
  read(page: ListPageBody): Promise<ListPageSummaries>;
}

interface ListPage {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: Record<string, unknown>[];
}

/**
 * Parses and summarizes one page. A re-list (after a 410, an error, "Discover Now") finds most
 * objects unchanged: `known` ones stay as they are, so the page is young garbage rather than a
 * second copy of the inventory for the garbage collector to move and mark.
 */
export function summarizePage(body: Buffer, secret: boolean, known?: (uid: string) => ObjectSummary | undefined): ListPageSummaries {
  let page: ListPage;
  try {
    page = JSON.parse(body.toString('utf8')) as ListPage;
  } catch {
    throw new NotJsonError('not JSON');
  }
  if (!page || typeof page !== 'object') throw new NotJsonError('not a list');
  const summaries: ObjectSummary[] = [];
  for (const item of Array.isArray(page.items) ? page.items : []) {
    const uid = (item?.metadata as { uid?: unknown } | undefined)?.uid;
    const summary = (known && typeof uid === 'string' ? unchangedSummary(item, known(uid)) : undefined) ?? summarize(item ?? {}, secret);
    if (summary) summaries.push(summary);
  }
  return { resourceVersion: page.metadata?.resourceVersion, continueToken: page.metadata?.continue || undefined, summaries };
}

/** Reads pages on the calling thread, each in a turn of its own (the CLI, the tests). */
export const inlinePageReader: ListPageReader = {
  async read({ body, secret, known }) {
    // Pages that arrive together do not stall the event loop together.
    await nextTurn();
    return summarizePage(body, secret, known);
  },
};
