import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ResourceType } from '../kube/apiDiscovery';
import { ObjectSummary, withSharedStrings } from '../kube/objectSummary';
import { TEMP_MARKER, removeAbandonedTempFilesIn, writeFileAtomically } from '../store/atomicFile';
import { TypeBucket } from './inventory';

const format = 'meshery-inventory';
const version = 1;
const suffix = '.ndjson';
/**
 * Written in pieces of about this size; each write is an await, so the event loop runs between
 * them. A piece is stringified and encoded in one go: 512K characters took 9-16 ms (90 ms on a
 * busy extension host), 128K take 4-8 ms for 10% more time in all.
 */
const chunkChars = 128 * 1024;

/** Where the inventory of the database `dbPath` is kept: a folder beside it (meshery.db -> meshery-inventory/). */
export function inventoryFolderOf(dbPath: string): string {
  return path.join(path.dirname(dbPath), `${path.basename(dbPath, path.extname(dbPath))}-inventory`);
}

/**
 * The discovered objects on disk, one file per cluster, outside the database: they are derived
 * (discovery rebuilds them), large (100,000 objects are about 25 MB), and change all the time,
 * while the database holds the users' own data, which must reach the disk within a second
 * whatever the size of the clusters. Each file is NDJSON: a header line, then per type a
 * `{"type": …}` line followed by one line per object. Written whole, atomically (temporary file,
 * flush, rename), so two windows writing the same cluster leave one of their complete copies.
 */
export class InventorySnapshots {
  constructor(readonly folder: string) {}

  fileOf(clusterId: string): string {
    return path.join(this.folder, `${encodeURIComponent(clusterId)}${suffix}`);
  }

  /** Writes one cluster's objects. The buckets may change while this runs: what is written is a consistent enough copy of derived data. */
  async write(clusterId: string, buckets: readonly TypeBucket[]): Promise<void> {
    await fs.promises.mkdir(this.folder, { recursive: true });
    await writeFileAtomically(this.fileOf(clusterId), async (handle) => {
      let chunk = JSON.stringify({ format, version, clusterId, savedAt: new Date().toISOString() }) + '\n';
      for (const bucket of buckets) {
        chunk += JSON.stringify({ type: bucket.type }) + '\n';
        for (const object of bucket.objects.values()) {
          chunk += JSON.stringify(object) + '\n';
          if (chunk.length >= chunkChars) {
            await handle.write(chunk);
            chunk = '';
          }
        }
      }
      await handle.write(chunk);
    });
  }

  async remove(clusterId: string): Promise<void> {
    await fs.promises.rm(this.fileOf(clusterId), { force: true });
  }

  /**
   * Reads every cluster's file, object by object. Lines arrive in batches from the stream, so the
   * event loop runs between them. A file that is not ours, or cut short, is read as far as it goes.
   */
  async readAll(onObject: (clusterId: string, type: ResourceType, object: ObjectSummary) => void): Promise<number> {
    let names: string[];
    try {
      names = (await fs.promises.readdir(this.folder)).filter((n) => n.endsWith(suffix));
    } catch {
      return 0;
    }
    let count = 0;
    for (const name of names) {
      const lines = readline.createInterface({ input: fs.createReadStream(path.join(this.folder, name)), crlfDelay: Infinity });
      let clusterId: string | undefined;
      let type: ResourceType | undefined;
      try {
        for await (const line of lines) {
          if (!line) continue;
          const value = JSON.parse(line) as { format?: string; version?: number; clusterId?: string; type?: ResourceType; uid?: string };
          if (clusterId === undefined) {
            if (value.format !== format || value.version !== version || typeof value.clusterId !== 'string') break;
            clusterId = value.clusterId;
          } else if (value.type) {
            type = value.type;
          } else if (type && typeof value.uid === 'string') {
            onObject(clusterId, type, withSharedStrings(value as ObjectSummary));
            count++;
          }
        }
      } catch {
        // A torn last line (the process died while an older format wrote in place): keep what was read.
      } finally {
        lines.close();
      }
    }
    return count;
  }

  /** Temporary files of writes that never finished (the process died): removed at startup. */
  removeAbandoned(): void {
    removeAbandonedTempFilesIn(this.folder, (name) => name.includes(`${suffix}${TEMP_MARKER}`));
  }
}
