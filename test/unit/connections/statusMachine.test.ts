import * as assert from 'node:assert/strict';
import { InvalidTransitionError, allowedTransitions, checkTransition, connectionStatuses } from '../../../src/core/connections/statusMachine';
import { ConnectionStatus, connectionDefinition } from '../../../src/core/registry/connectionDefinitions';

type Table = Record<ConnectionStatus, ConnectionStatus[]>;

/** The expected tables, written out: Meshery's, plus ways out of ignored and not found, and maintenance. */
const kubernetes: Table = {
  discovered: ['registered', 'not found', 'deleted'],
  registered: ['connected', 'ignored', 'maintenance'],
  connected: ['disconnected', 'ignored', 'maintenance', 'not found', 'deleted'],
  disconnected: ['connected', 'deleted'],
  ignored: ['registered', 'deleted'],
  maintenance: ['connected', 'disconnected', 'deleted'],
  'not found': ['discovered', 'deleted'],
  deleted: [],
};
const telemetry: Table = {
  discovered: ['registered', 'ignored', 'not found'],
  registered: ['connected', 'ignored', 'maintenance', 'deleted'],
  connected: ['disconnected', 'maintenance', 'not found', 'deleted'],
  disconnected: ['connected', 'deleted'],
  ignored: ['registered', 'discovered', 'deleted'],
  maintenance: ['connected', 'disconnected', 'deleted'],
  'not found': ['discovered', 'deleted'],
  deleted: [],
};
const systemOnly = (from: ConnectionStatus, to: ConnectionStatus) => to === 'not found' || (from === 'not found' && to === 'discovered');

describe('connection status machine (every pair, every kind)', () => {
  for (const [kind, table] of [['kubernetes', kubernetes], ['prometheus', telemetry], ['grafana', telemetry]] as const) {
    const definition = connectionDefinition(kind)!;
    it(`${kind}: allows exactly the table's transitions and refuses every other pair`, () => {
      let checked = 0;
      for (const from of connectionStatuses) {
        for (const to of connectionStatuses) {
          checked++;
          const allowed = table[from].includes(to);
          if (!allowed) {
            assert.throws(() => checkTransition(definition, from, to, 'system'), InvalidTransitionError, `${from} -> ${to} must be refused`);
            assert.throws(() => checkTransition(definition, from, to, 'user'), InvalidTransitionError);
            continue;
          }
          const transition = checkTransition(definition, from, to, 'system');
          assert.ok(transition.sentence.length > 20, `${from} -> ${to} has a sentence`);
          if (systemOnly(from, to)) {
            assert.throws(() => checkTransition(definition, from, to, 'user'), /set by Meshery/, `${from} -> ${to} is the system's to make`);
          } else {
            assert.equal(checkTransition(definition, from, to, 'user'), transition);
          }
        }
      }
      assert.equal(checked, 64);
    });

    it(`${kind}: offers a user only the allowed, non-system next states`, () => {
      for (const from of connectionStatuses) {
        assert.deepEqual(
          allowedTransitions(definition, from, 'user').map((t) => t.to).sort(),
          table[from].filter((to) => !systemOnly(from, to)).sort(),
          from,
        );
      }
    });
  }

  it('explains a refusal with the statuses that are allowed', () => {
    assert.throws(() => checkTransition(connectionDefinition('prometheus')!, 'discovered', 'connected'), /cannot go from "discovered" to "connected"\. From "discovered" it can go to: "registered", "ignored"/);
    assert.throws(() => checkTransition(connectionDefinition('kubernetes')!, 'deleted', 'registered'), /"deleted" is final/);
  });
});
