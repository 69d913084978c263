import * as assert from 'node:assert/strict';
import { groupByOperation, operationSeverity } from '../../../src/core/events/operationGroups';
import { MesheryEvent, Severity } from '../../../src/core/events/types';

let clock = 1000;
function event(operationId: string, severity: Severity, description: string): MesheryEvent {
  return { id: description, operationId, category: 'connection', action: 'test', description, severity, status: 'unread', actedUpon: 'c1', metadata: {}, createdAt: clock++ };
}

describe('events grouped by operation', () => {
  it('keeps newest-first order, each operation where its newest event is, single events alone', () => {
    // Newest first, as the event log returns them: a registration (3 events) interleaved with a health check.
    const newestFirst = [
      event('register-1', 'success', 'x: registered → connected'),
      event('health-7', 'error', 'y: not reached'),
      event('register-1', 'success', 'x: reached'),
      event('register-1', 'informational', 'x: discovered → registered'),
      event('create-2', 'informational', 'x: added by hand'),
    ];
    const groups = groupByOperation(newestFirst);
    assert.deepEqual(
      groups.map((g) => [g.operationId, g.events.map((e) => e.description)]),
      [
        ['register-1', ['x: registered → connected', 'x: reached', 'x: discovered → registered']],
        ['health-7', ['y: not reached']],
        ['create-2', ['x: added by hand']],
      ],
    );
  });

  it('shows an operation with its worst problem, else with how it ended', () => {
    const failed = { operationId: 'r', events: [event('r', 'informational', 'registered'), event('r', 'error', 'not reached'), event('r', 'informational', 'discovered')] };
    assert.equal(operationSeverity(failed), 'error');
    const warned = { operationId: 'w', events: [event('w', 'success', 'connected'), event('w', 'warning', 'sent over http')] };
    assert.equal(operationSeverity(warned), 'warning');
    // Information then success: it ended well, so it is shown as a success (not as information).
    const succeeded = { operationId: 's', events: [event('s', 'success', 'connected'), event('s', 'informational', 'registered')] };
    assert.equal(operationSeverity(succeeded), 'success');
    const debugOnly = { operationId: 'd', events: [event('d', 'debug', 'checked')] };
    assert.equal(operationSeverity(debugOnly), 'debug');
  });
});
