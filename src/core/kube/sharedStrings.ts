/**
 * One copy of the strings that many objects repeat: namespaces, label values (an app's name,
 * version and pod-template-hash on each of its pods), container images. JSON.parse gives every
 * object its own copies, and at 100,000 objects those copies are most of what the inventory's
 * heap holds: each is one more object for the garbage collector to copy while the sync runs
 * (young objects that survive are copied, then copied again into the old generation) and to
 * mark afterwards. The table is bounded: it starts over when full, which costs only sharing.
 */
export class SharedStrings {
  private readonly table = new Map<string, string>();

  constructor(
    private readonly capacity = 50_000,
    /** Longer strings are rarely repeated; hashing them would cost more than it saves. */
    private readonly longest = 256,
  ) {}

  share(value: string): string {
    if (value.length > this.longest) return value;
    const known = this.table.get(value);
    if (known !== undefined) return known;
    if (this.table.size >= this.capacity) this.table.clear();
    this.table.set(value, value);
    return value;
  }
}

/** The process's table: every sync shares it, so that clusters share their strings too. */
export const sharedStrings = new SharedStrings();
