import * as assert from 'node:assert/strict';
import { fullAndReadOnlyDisk, killDiscoverUnderChurn, killUserChangeWriters, seededConvergence, twoWritersInterleaving } from '../../support/faultCampaign';
import { useTempDir } from '../../support/tempDir';

/** The short version of `npm run faults` (which prints the long one's figures for the README). */
describe('fault campaign (short)', function () {
  this.timeout(180_000);
  const tmp = useTempDir();

  it('a writer of user changes killed at random moments: the file is intact and holds every change reported saved', async () => {
    const report = await killUserChangeWriters(4, tmp.path);
    assert.equal(report.intact, report.kills);
    assert.equal(report.found, report.reportedSaved);
    assert.ok(report.reportedSaved > 0, 'some changes were saved before the kills');
    assert.equal(report.tempFilesLeft, 0);
  });

  it('discover --watch --db killed during churn: the database is intact and the inventory files are whole', async () => {
    const report = await killDiscoverUnderChurn(3, tmp.path);
    assert.deepEqual(report, { kills: 3, intact: 3, inventoryComplete: 3, tempFilesLeft: 0 });
  });

  it('discovery converges after seeded faults at 1,000 changes/s', async () => {
    const report = await seededConvergence(1);
    assert.equal(report.converged, report.runs);
  });

  it('two writers interleaving at random lose nothing', async () => {
    const report = await twoWritersInterleaving(4, tmp.path);
    assert.ok(report.written > 100);
    assert.equal(report.found, report.written);
  });

  it('a full disk and a read-only one: clear errors, no temp files, the previous file intact', async function () {
    const report = await fullAndReadOnlyDisk();
    if (report.skipped) this.skip();
    assert.match(report.fullError ?? '', /ENOSPC|no space/i);
    assert.match(report.readOnlyError ?? '', /EROFS|read-only/i);
    assert.match(report.readOnlyOpen ?? '', /EROFS|read-only/i);
    assert.equal(report.tempFilesLeft, 0);
    assert.equal(report.previousIntact, true);
    assert.equal(report.cliOnFullDisk?.code, 1, 'a CLI change that could not be saved fails');
    assert.match(report.cliOnFullDisk?.stderr ?? '', /could not save .*ENOSPC/);
  });
});
