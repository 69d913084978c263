/** A resource type the simulated API server serves, as its discovery documents describe it. */
export interface SimResourceType {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly singular?: string;
}

const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const createOnly = ['create'];

function t(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<Pick<SimResourceType, 'shortNames' | 'categories' | 'verbs'>> = {},
): SimResourceType {
  return { group, version, resource, kind, namespaced, verbs: extra.verbs ?? crud, shortNames: extra.shortNames, categories: extra.categories };
}

const all = ['all'];

/** The built-in types of a Kubernetes 1.32 API server (the ones a cluster always serves). */
export const builtinResourceTypes: readonly SimResourceType[] = [
  t('', 'v1', 'pods', 'Pod', true, { shortNames: ['po'], categories: all }),
  t('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: all }),
  t('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  t('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  t('', 'v1', 'secrets', 'Secret', true),
  t('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  t('', 'v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'] }),
  t('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'] }),
  t('', 'v1', 'persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'] }),
  t('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'] }),
  t('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  t('', 'v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
  t('', 'v1', 'resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'] }),
  t('', 'v1', 'replicationcontrollers', 'ReplicationController', true, { shortNames: ['rc'], categories: all }),
  t('', 'v1', 'podtemplates', 'PodTemplate', true),
  t('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'], categories: all }),
  t('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: all }),
  t('apps', 'v1', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'], categories: all }),
  t('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: all }),
  t('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  t('batch', 'v1', 'jobs', 'Job', true, { categories: all }),
  t('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: all }),
  t('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, { shortNames: ['hpa'], categories: all }),
  t('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, { shortNames: ['ing'] }),
  t('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  t('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  t('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'] }),
  t('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  t('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  t('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  t('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  t('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'] }),
  t('storage.k8s.io', 'v1', 'csidrivers', 'CSIDriver', false),
  t('storage.k8s.io', 'v1', 'csinodes', 'CSINode', false),
  t('storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false),
  t('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, { shortNames: ['crd', 'crds'] }),
  t('apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false),
  t('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, { shortNames: ['pc'] }),
  t('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  t('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  t('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false),
  t('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false),
  t('node.k8s.io', 'v1', 'runtimeclasses', 'RuntimeClass', false),
  t('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false, { shortNames: ['csr'] }),
  t('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas', 'FlowSchema', false),
  t('flowcontrol.apiserver.k8s.io', 'v1', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', false),
  t('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, { verbs: createOnly }),
  t('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false, { verbs: createOnly }),
  t('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false, { verbs: createOnly }),
  t('authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', false, { verbs: createOnly }),
];

export function typeKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

export function apiVersionOf(type: Pick<SimResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The resource types a CustomResourceDefinition object declares (one per served version). */
export function typesFromCrd(crd: Record<string, unknown>): SimResourceType[] {
  const spec = (crd.spec ?? {}) as {
    group?: string;
    scope?: string;
    names?: { plural?: string; kind?: string; shortNames?: string[]; categories?: string[]; singular?: string };
    versions?: { name?: string; served?: boolean; storage?: boolean }[];
  };
  if (!spec.group || !spec.names?.plural || !spec.names.kind) {
    return [];
  }
  return (spec.versions ?? [])
    .filter((v) => v.name && v.served !== false)
    .map((v) => ({
      group: spec.group!,
      version: v.name!,
      resource: spec.names!.plural!,
      kind: spec.names!.kind!,
      namespaced: spec.scope !== 'Cluster',
      verbs: crud,
      shortNames: spec.names!.shortNames,
      categories: spec.names!.categories,
      singular: spec.names!.singular,
    }));
}
