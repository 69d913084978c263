import { HostMessage, NoticeType, Notices, RequestType, Requests, parseHostMessage } from '../../src/core/registration/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/**
 * The webview's side of the contract: requests get exactly one answer (or a sentence of error),
 * notices get none; what the host sends is checked before it touches the page.
 */
export class HostConnection {
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly onPush: (message: Exclude<HostMessage, { type: 'response' }>) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = parseHostMessage(event.data);
      if (!parsed.ok) return;
      const message = parsed.message;
      if (message.type !== 'response') return this.onPush(message);
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    });
  }

  request<T extends RequestType>(type: T, params: Requests[T]['params']): Promise<Requests[T]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.api.postMessage({ type, id, params });
    });
  }

  notify<T extends NoticeType>(type: T, params: Notices[T]): void {
    this.api.postMessage({ type, params });
  }

  /** The saved draft (never with secret values: callers strip them first). */
  saved<T>(): T | undefined {
    return (this.api.getState() as T | undefined) ?? undefined;
  }

  save(state: unknown): void {
    this.api.setState(state);
  }
}
