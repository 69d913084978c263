/** Anything holding a resource (listener, timer, handle) that must be released. */
export interface Disposable {
  dispose(): void;
}

/** Collects disposables so an owner can release everything it registered in one call. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  dispose(): void {
    this.disposed = true;
    // Release in reverse order: later registrations may depend on earlier ones.
    for (const item of this.items.splice(0).reverse()) {
      item.dispose();
    }
  }
}
