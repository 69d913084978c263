// The models shipped with the extension, as data (src/core/registry/models/*.json), bundled.
// Add a model: add its JSON file and import it here.
import argoCd from './models/argo-cd.json';
import argoRollouts from './models/argo-rollouts.json';
import argoWorkflows from './models/argo-workflows.json';
import calico from './models/calico.json';
import certManager from './models/cert-manager.json';
import cilium from './models/cilium.json';
import crossplane from './models/crossplane.json';
import eck from './models/eck.json';
import externalSecrets from './models/external-secrets.json';
import flux from './models/flux.json';
import gatekeeper from './models/gatekeeper.json';
import gatewayApi from './models/gateway-api.json';
import grafanaOperator from './models/grafana-operator.json';
import istio from './models/istio.json';
import jaeger from './models/jaeger.json';
import keda from './models/keda.json';
import knative from './models/knative.json';
import kubernetes from './models/kubernetes.json';
import kubevirt from './models/kubevirt.json';
import kyverno from './models/kyverno.json';
import linkerd from './models/linkerd.json';
import longhorn from './models/longhorn.json';
import metallb from './models/metallb.json';
import opentelemetryOperator from './models/opentelemetry-operator.json';
import prometheusOperator from './models/prometheus-operator.json';
import rook from './models/rook.json';
import sealedSecrets from './models/sealed-secrets.json';
import strimzi from './models/strimzi.json';
import tekton from './models/tekton.json';
import traefik from './models/traefik.json';
import velero from './models/velero.json';
import volumeSnapshot from './models/volume-snapshot.json';
import { ModelDefinition } from './types';

export const shippedModels: readonly ModelDefinition[] = [
  argoCd,
  argoRollouts,
  argoWorkflows,
  calico,
  certManager,
  cilium,
  crossplane,
  eck,
  externalSecrets,
  flux,
  gatekeeper,
  gatewayApi,
  grafanaOperator,
  istio,
  jaeger,
  keda,
  knative,
  kubernetes,
  kubevirt,
  kyverno,
  linkerd,
  longhorn,
  metallb,
  opentelemetryOperator,
  prometheusOperator,
  rook,
  sealedSecrets,
  strimzi,
  tekton,
  traefik,
  velero,
  volumeSnapshot,
] as ModelDefinition[];
