import * as assert from 'node:assert/strict';
import { MesheryExtensionApi } from '../../src/ui/api';
import { ConnectionNode, ConnectionsTreeProvider } from '../../src/ui/connections/connectionsTreeProvider';
import { mesheryApi } from './mesheryApi';

describe('the Connections tree repaints what changed', function () {
  this.timeout(60_000);
  let api: MesheryExtensionApi;
  let provider: ConnectionsTreeProvider;
  const fired: (ConnectionNode | ConnectionNode[] | undefined)[] = [];

  before(async () => {
    api = await mesheryApi();
    provider = new ConnectionsTreeProvider(api.connections, api.environments, api.credentials, () => 'status');
    provider.onDidChangeTreeData((change) => fired.push(change));
  });
  after(() => provider?.dispose());

  /** Every node, as a view asks for them: the groups, then each group's rows. */
  function paint(): ConnectionNode[] {
    return provider.getChildren().flatMap((group) => [group, ...provider.getChildren(group)]);
  }

  it('a row that only looks different is repainted alone, as the object the view was given; a new row or status repaints the tree', async () => {
    paint();
    fired.length = 0;
    const connection = api.connections.createManual({ kind: 'prometheus', name: 'tree repaint probe', url: 'http://127.0.0.1:1' });
    assert.deepEqual(fired, [undefined], 'a new row changes the groups: the whole tree');
    const row = paint().find((node) => node.type === 'connection' && node.connectionId === connection.id);
    assert.ok(row, 'the new connection has a row');

    fired.length = 0;
    api.connections.update(connection.id, { name: 'tree repaint probe, renamed' });
    assert.equal(fired.length, 1);
    const repainted = fired[0] as ConnectionNode | ConnectionNode[] | undefined; // deepEqual above narrowed fired to undefined[]
    assert.ok(Array.isArray(repainted), `one row repainted, not the tree: ${JSON.stringify(repainted)}`);
    assert.equal(repainted.length, 1);
    assert.equal(repainted[0], row, 'the very node object the view was given (VS Code keys rows by it)');
    assert.equal(provider.getTreeItem(row).label, 'tree repaint probe, renamed');

    fired.length = 0;
    provider.refresh();
    assert.deepEqual(fired, [], 'nothing changed: nothing repainted');

    api.connections.changeStatus(connection.id, 'registered');
    assert.deepEqual(fired, [undefined], 'a row that moves to another group: the whole tree');
    api.connections.changeStatus(connection.id, 'deleted');
  });
});
