import { EventLog } from '../core/events/eventLog';
import { importMesheryModels } from '../core/registry/mesheryImport';
import { Registry } from '../core/registry/registry';
import { shippedModels } from '../core/registry/shippedModels';

/** The shipped models plus the Meshery models of the folders the settings name; each bad file is one event. */
export function loadRegistry(importFolders: readonly string[], events: EventLog): Registry {
  const registry = new Registry(shippedModels);
  importInto(registry, importFolders, events);
  return registry;
}

/** (Re)imports the Meshery models of these folders into the registry, replacing earlier imports. */
export function importInto(registry: Registry, importFolders: readonly string[], events: EventLog): void {
  if (importFolders.length === 0) {
    registry.setImported([]);
    return;
  }
  const { models, problems } = importMesheryModels(importFolders);
  registry.setImported(models);
  for (const problem of problems) {
    events.record({
      category: 'registry',
      action: 'import',
      severity: 'error',
      actedUpon: problem.file,
      description: `A Meshery model file could not be imported: ${problem.file}: ${problem.reason}. The other models still load.`,
    });
  }
  if (models.length > 0) {
    events.record({
      category: 'registry',
      action: 'import',
      severity: 'success',
      description: `Imported ${models.length} Meshery model(s): ${models.map((m) => m.displayName).join(', ')}.`,
      metadata: { models: models.map((m) => m.name) },
    });
  }
}
