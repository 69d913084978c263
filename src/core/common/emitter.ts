import { Disposable } from './disposable';

export type Listener<T> = (value: T) => void;

/** The subscription half of an emitter, handed to consumers. */
export type EventSource<T> = (listener: Listener<T>) => Disposable;

/**
 * A minimal typed event emitter. core/ cannot use vscode.EventEmitter, and Node's
 * EventEmitter is untyped; a listener that throws must not stop the others.
 */
export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  readonly event: EventSource<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
