import { ConnectionService } from '../../core/connections/connectionService';
import { CredentialService } from '../../core/connections/credentialService';
import { EnvironmentService } from '../../core/connections/environmentService';
import { DiscoveryService } from '../../core/kube/discoveryService';

export interface ConnectionServices {
  readonly connections: ConnectionService;
  readonly environments: EnvironmentService;
  readonly credentials: CredentialService;
  readonly discovery: DiscoveryService;
}
