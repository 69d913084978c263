import { EventLog } from '../core/events/eventLog';
import { importMesheryModels } from '../core/registry/mesheryImport';
import { Registry } from '../core/registry/registry';
import { shippedModels } from '../core/registry/shippedModels';

/** The shipped models plus the Meshery models of the folders the settings name; each bad file is one event. */
export function loadRegistry(importFolders: readonly string[], events: EventLog): Registry {
  const registry = new Registry(shippedModels);
  if (importFolders.length === 0) return registry;
  const { models, problems } = importMesheryModels(importFolders);
  for (const model of models) registry.add(model);
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
  return registry;
}
