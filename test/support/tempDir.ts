import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary folder per test, removed afterwards. */
export function useTempDir(): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(() => {
    holder.path = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-test-'));
  });
  afterEach(() => {
    fs.rmSync(holder.path, { recursive: true, force: true });
  });
  return holder;
}
