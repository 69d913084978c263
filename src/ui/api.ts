import { ConnectionService } from '../core/connections/connectionService';
import { CredentialService } from '../core/connections/credentialService';
import { EnvironmentService } from '../core/connections/environmentService';
import { EventLog } from '../core/events/eventLog';
import { DiscoveryService } from '../core/kube/discoveryService';
import { Registry } from '../core/registry/registry';
import { Store } from '../core/store/store';
import { RegistrationPanels } from './registration/registrationPanels';

/** What activate() returns: other extensions and the extension-host tests use it. */
export interface MesheryExtensionApi {
  readonly events: EventLog;
  readonly store: Store;
  readonly discovery: DiscoveryService;
  readonly registry: Registry;
  readonly connections: ConnectionService;
  readonly environments: EnvironmentService;
  readonly credentials: CredentialService;
  /** The registration panels (tests post messages to them and read what they send). */
  readonly panels: RegistrationPanels;
  readonly activationMs: number;
}
