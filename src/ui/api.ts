import { EventLog } from '../core/events/eventLog';
import { DiscoveryService } from '../core/kube/discoveryService';
import { Store } from '../core/store/store';

/** What activate() returns: other extensions and the extension-host tests use it. */
export interface MesheryExtensionApi {
  readonly events: EventLog;
  readonly store: Store;
  readonly discovery: DiscoveryService;
  readonly activationMs: number;
}
