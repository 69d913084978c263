import { ConnectionService } from '../core/connections/connectionService';
import { CredentialService } from '../core/connections/credentialService';
import { EnvironmentService } from '../core/connections/environmentService';
import { EventLog } from '../core/events/eventLog';
import { DiscoveryService } from '../core/kube/discoveryService';
import { Registry } from '../core/registry/registry';
import { Store } from '../core/store/store';
import { RegistrationPanels } from './registration/registrationPanels';

/** What activate() returns, at once: the services start after activation. */
export interface MesheryExtension {
  /** How long activate() took. */
  readonly activationMs: number;
  /** The services, once the database is open and the views and commands are registered; rejected if they could not start. */
  readonly ready: Promise<MesheryExtensionApi>;
}

/** The services: other extensions and the extension-host tests use them. */
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
  /** From the start of activation to the services being ready, in ms. */
  readonly readyMs: number;
}
