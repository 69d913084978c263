import * as vscode from 'vscode';
import { markdownCode, markdownText } from '../markdownText';
import { resourceTypeKey } from '../../core/kube/apiDiscovery';
import { ClusterStatus } from '../../core/kube/clusterSync';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { ObjectSummary } from '../../core/kube/objectSummary';
import { CandidateFinder, ConnectionCandidate, candidateObjectTypeKey, decidesCandidates } from '../../core/registry/connectionCandidates';
import { ModelGroup, groupByModel } from '../../core/registry/modelGrouping';
import { Registry } from '../../core/registry/registry';
import { ModelDefinition } from '../../core/registry/types';
import { TreeChangeThrottle } from '../treeChangeThrottle';
import { FilteredKinds } from '../../core/inventory/filteredKinds';
import { KindSketches } from '../../core/inventory/kindSketches';
import { DiscoveredFilter } from './discoveredFilter';
import { PacedRepaints } from './pacedRepaints';

export type DiscoveredNode =
  | { readonly kind: 'cluster'; readonly id: string; readonly clusterId: string }
  | { readonly kind: 'model'; readonly id: string; readonly clusterId: string; readonly model: string }
  | { readonly kind: 'type'; readonly id: string; readonly clusterId: string; readonly typeKey: string }
  | { readonly kind: 'object'; readonly id: string; readonly clusterId: string; readonly typeKey: string; readonly uid: string }
  | { readonly kind: 'more'; readonly id: string; readonly clusterId: string; readonly typeKey: string };

const pageSize = 200;
/**
 * How often a cluster's row is repainted when only counts changed under it: VS Code fetches
 * again, level by level, everything expanded under a repainted row (models, kinds, a page of
 * objects), and under a steady stream of changes that was every repaint, 4-5 a second.
 */
const clusterCountsGapMs = 1000;
/** One formatter for every count (toLocaleString makes one per call). */
const countFormat = new Intl.NumberFormat('en-US');

/**
 * The Discovered view: cluster -> model -> kind -> objects, with counts on every group. Large
 * kinds are paged; live changes repaint only the kinds that changed (an expanded kind whose page
 * is the same waits for its cluster's row), and their cluster's row (model counts follow it) at
 * once when a model or kind appears or goes, else at most once a second (clusterCountsGapMs),
 * so what the user expanded stays expanded.
 */
export class DiscoveredTreeProvider implements vscode.TreeDataProvider<DiscoveredNode>, vscode.Disposable {
  private readonly changes = new TreeChangeThrottle<DiscoveredNode>(undefined, (rows) => {
    if (rows) this.holdUnchangedPages(rows);
    this.addClusterRows(rows);
  });
  /** Clusters with changes under them since their row was last considered for a repaint. */
  private readonly countsChanged = new Set<string>();
  /** Per cluster, what VS Code was last given under its row (see layoutOf). */
  private readonly layouts = new Map<string, string>();
  private readonly clusterRows = new PacedRepaints<string>((clusterId) => this.refreshNode(`cluster:${clusterId}`), clusterCountsGapMs);
  readonly onDidChangeTreeData = this.changes.event;
  /** Nodes are kept so the same object stands for the same row (VS Code keys refreshes by element). */
  private readonly nodes = new Map<string, DiscoveredNode>();
  private readonly limits = new Map<string, number>();
  /** The rows each kind's row showed last, by its id: rows that leave its page are forgotten. */
  private readonly pages = new Map<string, DiscoveredNode[]>();
  /** What each expanded kind's page showed when VS Code last fetched it (see holdUnchangedPages). */
  private readonly shownPages = new Map<string, ShownPage>();
  private readonly candidates = new Map<string, Map<string, ConnectionCandidate>>();
  /** Each cluster's model grouping, computed once per change rather than once per model row. */
  private readonly modelGroups = new Map<string, ModelGroup[]>();
  private readonly visible: FilteredKinds;
  /**
   * Follows the pods that may give a signal, so that a Service row painted after the pods changed
   * reads those, not every pod of the cluster (22,000 of them, again at every change under churn).
   */
  private readonly finder: CandidateFinder;
  private readonly disposables: vscode.Disposable[];
  private knownClusters = '';

  constructor(
    private readonly service: DiscoveryService,
    private readonly registry: Registry,
    private readonly filter: DiscoveredFilter,
    private readonly iconFor: (model: ModelDefinition) => vscode.Uri,
    /** The status of the connection a candidate object is, if there is one. */
    private readonly connections?: { statusOf(clusterId: string, uid: string): string | undefined; onDidChange: vscode.Event<void> },
  ) {
    const sketches = new KindSketches(service.inventory);
    this.visible = new FilteredKinds(service.inventory, sketches);
    this.visible.setFilter(filter.value);
    this.finder = new CandidateFinder(service.inventory);
    this.disposables = [
      this.changes,
      this.clusterRows,
      sketches,
      this.visible,
      this.finder,
      service.inventory.onDidChange((change) => {
        const clusters = service.inventory.clusterIds().join(',');
        if (clusters !== this.knownClusters) {
          this.knownClusters = clusters;
          this.forgetClustersGone(new Set(service.inventory.clusterIds()));
          // The whole tree is repainted: nothing computed for a cluster may survive (the same
          // change can carry another cluster's new pods).
          this.candidates.clear();
          this.modelGroups.clear();
          this.visible.forgetAll();
          this.changes.fire(undefined);
          return;
        }
        for (const [clusterId, typeKeys] of change.types) {
          if (decidesCandidates(typeKeys)) this.candidates.delete(clusterId);
          this.modelGroups.delete(clusterId);
          for (const typeKey of typeKeys) this.visible.forget(clusterId, typeKey);
          // The kinds that changed now; whether their cluster's row is too is decided when the
          // repaint is sent (addClusterRows).
          this.countsChanged.add(clusterId);
          this.changes.fire([...typeKeys].flatMap((typeKey) => this.nodes.get(`type:${clusterId}:${typeKey}`) ?? []));
        }
      }),
      service.onDidChangeStatus((status) => status.clusterId && this.refreshNode(`cluster:${status.clusterId}`)),
      // A connection's status shows on its object's row: repaint the candidate rows only.
      ...(connections
        ? [
            connections.onDidChange(() => {
              for (const node of this.nodes.values()) if (node.kind === 'object' && this.candidateFor(node.clusterId, node.typeKey, node.uid)) this.changes.fire(node);
            }),
          ]
        : []),
      // The clusters stay whatever the filter: repainting their rows, not the root, saves VS Code
      // a round trip to the extension host before it asks for what is under them.
      filter.onDidChange(() => {
        this.visible.setFilter(filter.value);
        const clusters = this.service.inventory.clusterIds().map((clusterId) => this.nodes.get(`cluster:${clusterId}`));
        this.changes.fire(clusters.length && clusters.every((node) => node !== undefined) ? (clusters as DiscoveredNode[]) : undefined, true);
      }),
      // Imported models change which model a kind belongs to.
      registry.onDidChange(() => {
        this.modelGroups.clear();
        this.changes.fire(undefined);
      }),
    ];
  }

  getTreeItem(node: DiscoveredNode): vscode.TreeItem {
    switch (node.kind) {
      case 'cluster':
        return this.clusterItem(node.clusterId);
      case 'model':
        return this.modelItem(node);
      case 'type':
        return this.typeItem(node);
      case 'object':
        return this.objectItem(node);
      case 'more': {
        const total = this.visible.objects(node.clusterId, node.typeKey).length;
        const shown = this.pageLimit(`type:${node.clusterId}:${node.typeKey}`);
        const item = new vscode.TreeItem(`Show ${Math.min(pageSize, total - shown)} more of ${total - shown}…`);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { command: 'meshery.discovered.showMore', title: 'Show More', arguments: [node] };
        return item;
      }
    }
  }

  /**
   * An object's tooltip, made when the pointer rests on its row: a page of a large kind is 200
   * rows, and their Markdown (labels included) would cross to the window with every refresh.
   */
  resolveTreeItem(item: vscode.TreeItem, node: DiscoveredNode): vscode.TreeItem {
    if (node.kind !== 'object' || item.tooltip !== undefined) return item;
    const bucket = this.service.inventory.bucket(node.clusterId, node.typeKey);
    const object = bucket?.objects.get(node.uid);
    if (!bucket || !object) return item;
    const fp = this.registry.fingerprint(bucket.type.group, bucket.type.version, bucket.type.kind);
    item.tooltip = objectTooltip(object, fp.model.displayName, fp.component.displayName ?? fp.component.kind, fp.versionSkew, this.candidateFor(node.clusterId, node.typeKey, node.uid));
    return item;
  }

  getChildren(node?: DiscoveredNode): DiscoveredNode[] {
    const inventory = this.service.inventory;
    if (!node) {
      this.knownClusters = inventory.clusterIds().join(',');
      return inventory.clusterIds().map((clusterId) => this.node({ kind: 'cluster', id: `cluster:${clusterId}`, clusterId }));
    }
    if (node.kind === 'cluster') {
      const shown = this.shownGroups(node.clusterId);
      this.layouts.set(node.clusterId, layoutOf(shown));
      return shown.map((g) => this.node({ kind: 'model', id: `model:${node.clusterId}:${g.model}`, clusterId: node.clusterId, model: g.model }));
    }
    if (node.kind === 'model') {
      const group = this.shownGroups(node.clusterId).find((g) => g.model === node.model);
      return (group?.typeKeys ?? []).map((typeKey) => this.node({ kind: 'type', id: `type:${node.clusterId}:${typeKey}`, clusterId: node.clusterId, typeKey }));
    }
    if (node.kind === 'type') {
      const limit = this.pageLimit(node.id);
      const objects = this.visible.objects(node.clusterId, node.typeKey);
      const rows: DiscoveredNode[] = objects
        .slice(0, limit)
        .map((o) => this.node({ kind: 'object', id: `object:${node.clusterId}:${o.uid}`, clusterId: node.clusterId, typeKey: node.typeKey, uid: o.uid }));
      if (objects.length > limit) {
        rows.push(this.node({ kind: 'more', id: `more:${node.clusterId}:${node.typeKey}`, clusterId: node.clusterId, typeKey: node.typeKey }));
      }
      this.rememberPage(node.id, rows);
      this.shownPages.set(node.id, { objects: objects.slice(0, limit), more: objects.length > limit });
      return rows;
    }
    return [];
  }

  getParent(node: DiscoveredNode): DiscoveredNode | undefined {
    switch (node.kind) {
      case 'cluster':
        return undefined;
      case 'model':
        return this.nodes.get(`cluster:${node.clusterId}`);
      case 'type': {
        const bucket = this.service.inventory.bucket(node.clusterId, node.typeKey);
        if (!bucket) return undefined;
        const model = this.registry.fingerprint(bucket.type.group, bucket.type.version, bucket.type.kind).model.name;
        return this.nodes.get(`model:${node.clusterId}:${model}`);
      }
      default:
        return this.nodes.get(`type:${node.clusterId}:${node.typeKey}`);
    }
  }

  showMore(node: DiscoveredNode): void {
    if (node.kind !== 'more') return;
    const key = `type:${node.clusterId}:${node.typeKey}`;
    this.limits.set(key, this.pageLimit(key) + pageSize);
    this.refreshNode(key);
  }

  /** VS Code collapsed the row: a kind's page is no longer fetched when its row is repainted. */
  collapsed(node: DiscoveredNode): void {
    this.shownPages.delete(node.id);
  }

  /** For `ms` from now, the rows that changed on the cluster wait and the filter's answer does not (0 ends it). */
  holdClusterChanges(ms: number): void {
    this.changes.quietFor(ms);
  }

  /** The connection candidate an object is, if it is one. */
  candidateFor(clusterId: string, typeKey: string, uid: string): ConnectionCandidate | undefined {
    // Rows of other kinds never ask: finding the candidates reads every pod of the cluster.
    return typeKey === candidateObjectTypeKey ? this.candidatesOf(clusterId).get(uid) : undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private node<T extends DiscoveredNode>(fresh: T): T {
    const existing = this.nodes.get(fresh.id) as T | undefined;
    if (existing) return existing;
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  /**
   * Forgets the rows a kind showed and shows no more (objects deleted, or pushed off its page): a
   * cluster that keeps making new objects would otherwise grow the rows kept for as long as the
   * window is open.
   */
  private rememberPage(kindRowId: string, rows: DiscoveredNode[]): void {
    const shown = new Set(rows);
    for (const row of this.pages.get(kindRowId) ?? []) if (!shown.has(row)) this.nodes.delete(row.id);
    this.pages.set(kindRowId, rows);
  }

  /** Forgets every row, page and repaint time of the clusters no longer in the kubeconfig. */
  private forgetClustersGone(present: ReadonlySet<string>): void {
    const gone = new Set([...this.layouts.keys()].filter((clusterId) => !present.has(clusterId)));
    for (const [id, node] of this.nodes) {
      if (present.has(node.clusterId)) continue;
      gone.add(node.clusterId);
      this.nodes.delete(id);
      this.pages.delete(id);
      this.shownPages.delete(id);
      this.limits.delete(id);
    }
    for (const clusterId of gone) {
      this.layouts.delete(clusterId);
      this.clusterRows.forget(clusterId);
    }
  }

  /** How many rows are kept (for tests and measures). */
  get keptRowCount(): number {
    return this.nodes.size;
  }

  private refreshNode(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.changes.fire(node);
  }

  /**
   * Adds to a repaint the rows of the clusters with changes under them whose models or kinds
   * shown changed (with the filter: a kind that comes to match, or no longer does), or whose
   * counts have waited long enough; the others are repainted when their gap ends.
   */
  private addClusterRows(rows: Set<DiscoveredNode> | undefined): void {
    const changed = [...this.countsChanged];
    this.countsChanged.clear();
    if (!rows) {
      for (const clusterId of this.service.inventory.clusterIds()) this.clusterRows.repainted(clusterId);
      return;
    }
    for (const clusterId of changed) {
      const row = this.nodes.get(`cluster:${clusterId}`);
      if (!row || rows.has(row)) continue;
      if (layoutOf(this.shownGroups(clusterId)) !== this.layouts.get(clusterId) || this.clusterRows.dueNow(clusterId)) rows.add(row);
    }
    for (const row of rows) if (row.kind === 'cluster') this.clusterRows.repainted(row.clusterId);
  }

  /**
   * Takes out of a repaint the expanded kinds whose page would show the same objects: repainting
   * a kind's row makes VS Code fetch its page again (200 rows, drawn anew in the window) for
   * nothing but the counts, 4-5 times a second while a cluster keeps changing. Their cluster's
   * row, repainted at least once a second, brings their counts along (VS Code fetches everything
   * expanded under it); a kind whose page changed goes at once.
   */
  private holdUnchangedPages(rows: Set<DiscoveredNode>): void {
    for (const row of rows) {
      if (row.kind !== 'type') continue;
      const shown = this.shownPages.get(row.id);
      const cluster = this.nodes.get(`cluster:${row.clusterId}`);
      if (!shown || !cluster || this.pageChanged(row, shown)) continue;
      rows.delete(row);
      if (!rows.has(cluster) && this.clusterRows.dueNow(row.clusterId)) rows.add(cluster);
    }
  }

  /** How many of a kind's objects its page shows ("Show more" adds a page at a time). */
  private pageLimit(kindRowId: string): number {
    return this.limits.get(kindRowId) ?? pageSize;
  }

  /** Whether the kind's page now shows other objects (or other versions of them) than it did. */
  private pageChanged(row: DiscoveredNode & { kind: 'type' }, shown: ShownPage): boolean {
    const objects = this.visible.objects(row.clusterId, row.typeKey);
    const limit = this.pageLimit(row.id);
    if (objects.length > limit !== shown.more || Math.min(objects.length, limit) !== shown.objects.length) return true;
    // The inventory holds a new summary for every new version of an object.
    return shown.objects.some((object, i) => objects[i] !== object);
  }

  /** The models shown under a cluster, each with the kinds shown under it: those with objects that pass the filter. */
  private shownGroups(clusterId: string): { model: string; typeKeys: string[] }[] {
    return this.groupsOf(clusterId)
      .map((g) => ({ model: g.model.name, typeKeys: g.kinds.map((k) => resourceTypeKey(k.bucket.type)).filter((typeKey) => this.visible.count(clusterId, typeKey) > 0) }))
      .filter((g) => g.typeKeys.length > 0);
  }

  private groupsOf(clusterId: string): ModelGroup[] {
    let groups = this.modelGroups.get(clusterId);
    if (!groups) {
      groups = groupByModel(this.registry, this.service.inventory, clusterId);
      this.modelGroups.set(clusterId, groups);
    }
    return groups;
  }

  private candidatesOf(clusterId: string): Map<string, ConnectionCandidate> {
    let found = this.candidates.get(clusterId);
    if (!found) {
      const status = this.service.statuses().find((s) => s.clusterId === clusterId);
      found = new Map(
        this.finder
          .find(clusterId, { server: status?.server, name: status?.context })
          .filter((c) => c.objectUid)
          .map((c) => [c.objectUid!, c]),
      );
      this.candidates.set(clusterId, found);
    }
    return found;
  }

  private countLabel(visible: number, total: number): string {
    return this.filter.active ? `${countFormat.format(visible)} of ${countFormat.format(total)}` : countFormat.format(total);
  }

  private clusterItem(clusterId: string): vscode.TreeItem {
    const statuses = this.service.statuses().filter((s) => s.clusterId === clusterId);
    const label = statuses.map((s) => s.context).join(', ') || clusterId;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `cluster:${clusterId}`;
    const total = this.service.inventory.count(clusterId);
    const visible = this.filter.active
      ? this.service.inventory.buckets(clusterId).reduce((n, b) => n + this.visible.count(clusterId, resourceTypeKey(b.type)), 0)
      : total;
    item.description = `${describeSync(statuses)} · ${this.countLabel(visible, total)} objects`;
    item.iconPath = new vscode.ThemeIcon(statuses.some((s) => s.state === 'error') ? 'error' : 'server-environment');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${markdownText(label)}**`,
        `Cluster id: ${markdownCode(clusterId)}`,
        ...statuses.map((s) => `${markdownText(s.context)} → ${markdownText(s.server)}: ${s.state}${s.reason ? ` (${markdownText(s.reason)})` : ''}`),
      ].join('\n\n'),
    );
    item.contextValue = 'meshery.cluster';
    return item;
  }

  private modelItem(node: DiscoveredNode & { kind: 'model' }): vscode.TreeItem {
    const group = this.groupsOf(node.clusterId).find((g) => g.model.name === node.model);
    const model = group?.model ?? this.registry.model(node.model);
    const item = new vscode.TreeItem(model?.displayName ?? node.model, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const visible = (group?.kinds ?? []).reduce((n, k) => n + this.visible.count(node.clusterId, resourceTypeKey(k.bucket.type)), 0);
    item.description = `${this.countLabel(visible, group?.objects ?? 0)} · ${group?.kinds.length ?? 0} kind${group?.kinds.length === 1 ? '' : 's'}`;
    if (model) {
      item.iconPath = this.iconFor(model);
      item.tooltip = new vscode.MarkdownString(
        `**${markdownText(model.displayName)}** (${markdownText(model.name)})\n\n${markdownText(model.category)}${model.source ? `\n\nImported from ${markdownText(model.source)}` : ''}`,
      );
    }
    item.contextValue = 'meshery.model';
    return item;
  }

  private typeItem(node: DiscoveredNode & { kind: 'type' }): vscode.TreeItem {
    const bucket = this.service.inventory.bucket(node.clusterId, node.typeKey);
    const item = new vscode.TreeItem(bucket?.type.kind ?? node.typeKey, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    if (!bucket) return item;
    const fp = this.registry.fingerprint(bucket.type.group, bucket.type.version, bucket.type.kind);
    item.description = `${this.countLabel(this.visible.count(node.clusterId, node.typeKey), bucket.objects.size)} · ${bucket.type.group || 'core'}/${bucket.type.version}${fp.versionSkew ? ' (version skew)' : ''}`;
    item.iconPath = new vscode.ThemeIcon('symbol-class', new vscode.ThemeColor(fp.versionSkew ? 'list.warningForeground' : 'symbolIcon.classForeground'));
    item.tooltip = new vscode.MarkdownString(
      `**${markdownText(bucket.type.kind)}** · ${markdownText(`${bucket.type.group || 'core'}/${bucket.type.version}`)}\n\nModel: ${markdownText(fp.model.displayName)} · component ${markdownText(fp.component.displayName ?? fp.component.kind)}` +
        (fp.versionSkew
          ? `\n\n$(warning) Version skew: the model knows ${markdownText(fp.component.kind)} at ${markdownText(fp.component.version)}, the cluster serves ${markdownText(bucket.type.version)}.`
          : ''),
      true,
    );
    item.contextValue = 'meshery.kind';
    return item;
  }

  private objectItem(node: DiscoveredNode & { kind: 'object' }): vscode.TreeItem {
    const bucket = this.service.inventory.bucket(node.clusterId, node.typeKey);
    const object = bucket?.objects.get(node.uid);
    const item = new vscode.TreeItem(object?.name ?? node.uid, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    if (!bucket || !object) return item;
    const candidate = this.candidateFor(node.clusterId, node.typeKey, node.uid);
    const status = candidate ? this.connections?.statusOf(node.clusterId, node.uid) : undefined;
    const role = candidate ? (status ? `${candidate.kind} connection: ${status}` : `${candidate.kind} connection candidate`) : undefined;
    item.description = [object.namespace, role].filter(Boolean).join(' · ') || undefined;
    item.iconPath = candidate ? new vscode.ThemeIcon('plug', new vscode.ThemeColor(statusColor(status))) : new vscode.ThemeIcon(object.greenfield ? 'symbol-constructor' : 'symbol-field');
    item.contextValue = candidate ? 'meshery.object.candidate' : 'meshery.object';
    item.command = { command: 'meshery.discovered.openObject', title: 'Open YAML', arguments: [node] };
    return item;
  }
}

/** An expanded kind's page as VS Code last fetched it: its objects, and whether a "Show more" row followed. */
interface ShownPage {
  readonly objects: readonly ObjectSummary[];
  readonly more: boolean;
}

/** What is shown under a cluster's row, as one comparable text. */
function layoutOf(groups: readonly { model: string; typeKeys: readonly string[] }[]): string {
  return groups.map((g) => `${g.model}:${g.typeKeys.join(',')}`).join(';');
}

/** The plug's colour: green when connected, red when disconnected, blue when only registered, yellow otherwise. */
function statusColor(status: string | undefined): string {
  if (status === 'connected') return 'charts.green';
  if (status === 'disconnected' || status === 'not found') return 'charts.red';
  if (status === 'registered' || status === 'maintenance') return 'charts.blue';
  return 'charts.yellow';
}

function describeSync(statuses: readonly ClusterStatus[]): string {
  if (statuses.length === 0) return 'last session';
  const types = statuses.flatMap((s) => s.types);
  const pending = types.filter((t) => t.state.state === 'syncing').length;
  if (statuses.some((s) => s.state === 'error')) return 'error';
  if (pending > 0 || statuses.some((s) => s.state !== 'synced')) return `syncing ${types.length - pending} of ${types.length} types`;
  const unreadable = types.filter((t) => t.state.state !== 'synced').length;
  return unreadable ? `synced (${unreadable} types not readable)` : 'synced';
}

function objectTooltip(
  object: ObjectSummary,
  model: string,
  component: string,
  versionSkew: boolean,
  candidate: ConnectionCandidate | undefined,
): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${markdownText(object.namespace ? `${object.namespace}/${object.name}` : object.name)}**\n\n`);
  md.appendMarkdown(`Model: ${markdownText(model)} · component: ${markdownText(component)}${versionSkew ? ' · $(warning) version skew' : ''}\n\n`);
  md.appendMarkdown(`${object.greenfield ? 'Greenfield (created by Meshery)' : 'Brownfield (created outside Meshery)'}\n\n`);
  if (candidate) {
    md.appendMarkdown(`$(plug) **${candidate.kind}** connection candidate: ${markdownText(candidate.signals.map((s) => s.detail).join('; '))}\n\n`);
    if (candidate.urls.inCluster) md.appendMarkdown(`In cluster: ${markdownCode(candidate.urls.inCluster)}\n\n`);
    if (candidate.urls.proxyPath) md.appendMarkdown(`Through the API server: ${markdownCode(candidate.urls.proxyPath)}\n\n`);
  }
  const labels = Object.entries(object.labels);
  if (labels.length) md.appendCodeblock(labels.map(([k, v]) => `${k}=${v}`).join('\n'), 'properties');
  return md;
}
