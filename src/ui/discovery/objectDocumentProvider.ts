import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { errorMessage } from '../../core/common/logger';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { isSecretType } from '../../core/kube/objectSummary';
import { presentableObject } from '../../core/kube/presentableObject';

export const objectScheme = 'meshery-object';

export function objectUri(clusterId: string, typeKey: string, uid: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: objectScheme, path: `/${name}.yaml`, query: new URLSearchParams({ clusterId, typeKey, uid }).toString() });
}

/**
 * Serves an object as read-only YAML: read live from its cluster, or, when the cluster cannot be
 * reached, what discovery stored of it (and it says which).
 */
export class ObjectDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly service: DiscoveryService) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const clusterId = query.get('clusterId') ?? '';
    const bucket = this.service.inventory.bucket(clusterId, query.get('typeKey') ?? '');
    const summary = bucket?.objects.get(query.get('uid') ?? '');
    if (!bucket || !summary) {
      return '# This object is no longer in the inventory (it was deleted from the cluster).\n';
    }
    try {
      const live = await this.service.fetchObject(clusterId, bucket.type, summary.namespace, summary.name);
      if (live) {
        const secret = isSecretType(bucket.type);
        const note = secret ? "\n# A Secret's data and annotations are not read by Meshery: they never leave the cluster." : '';
        return `# Live from the cluster, read at ${new Date().toLocaleString()} (read-only)${note}\n${stringify(presentableObject(live, secret))}`;
      }
    } catch (error) {
      return `# The cluster could not be reached (${errorMessage(error)}); this is what discovery stored.\n${stringify(this.stored(bucket.type, summary))}`;
    }
    return `# The cluster is not being discovered now; this is what discovery stored.\n${stringify(this.stored(bucket.type, summary))}`;
  }

  private stored(type: { group: string; version: string; kind: string }, summary: { name: string; namespace: string; uid: string; labels: object; annotations: object; createdAt?: string; resourceVersion: string }) {
    return {
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      kind: type.kind,
      metadata: {
        name: summary.name,
        ...(summary.namespace ? { namespace: summary.namespace } : {}),
        uid: summary.uid,
        resourceVersion: summary.resourceVersion,
        creationTimestamp: summary.createdAt,
        labels: summary.labels,
        annotations: summary.annotations,
      },
    };
  }
}
