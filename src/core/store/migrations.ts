/**
 * The schema, as forward-only migrations. A migration is never edited once released: a change
 * is a new migration with the next version. PRAGMA user_version records the version reached.
 *
 * The schema covers the whole mission from the start so later features add columns, not tables:
 * discovered objects (with labels/annotations), clusters and their resource types, models and
 * components, connections, environments and their mapping, credentials (metadata only: the
 * values live in VS Code SecretStorage), and events.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'initial schema',
    sql: `
      CREATE TABLE clusters (
        id            TEXT PRIMARY KEY,            -- kube-system namespace UID, or a stable id from the server URL
        id_source     TEXT NOT NULL,               -- 'kube-system-uid' | 'server-url'
        server        TEXT NOT NULL,
        name          TEXT NOT NULL,
        version       TEXT,
        last_sync_at  INTEGER,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE TABLE cluster_contexts (
        context       TEXT PRIMARY KEY,
        cluster_id    TEXT REFERENCES clusters(id) ON DELETE SET NULL,
        server        TEXT NOT NULL,
        user_name     TEXT,
        kubeconfig    TEXT,
        last_seen_at  INTEGER NOT NULL
      );
      CREATE TABLE resource_types (
        cluster_id       TEXT NOT NULL,
        api_group        TEXT NOT NULL,
        version          TEXT NOT NULL,
        resource         TEXT NOT NULL,
        kind             TEXT NOT NULL,
        namespaced       INTEGER NOT NULL,
        sync_state       TEXT NOT NULL,           -- syncing | synced | forbidden | error
        sync_reason      TEXT,
        resource_version TEXT,
        object_count     INTEGER NOT NULL DEFAULT 0,
        updated_at       INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, api_group, resource)
      );
      CREATE TABLE objects (
        cluster_id       TEXT NOT NULL,
        uid              TEXT NOT NULL,
        api_group        TEXT NOT NULL,
        api_version      TEXT NOT NULL,
        kind             TEXT NOT NULL,
        namespace        TEXT NOT NULL DEFAULT '',
        name             TEXT NOT NULL,
        resource_version TEXT,
        created_at       TEXT,
        labels           TEXT NOT NULL DEFAULT '{}',
        annotations      TEXT NOT NULL DEFAULT '{}',
        spec             TEXT,
        status           TEXT,
        model            TEXT,
        component        TEXT,
        version_skew     INTEGER NOT NULL DEFAULT 0,
        greenfield       INTEGER NOT NULL DEFAULT 0,
        updated_at       INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, uid)
      );
      CREATE INDEX objects_by_kind ON objects (cluster_id, api_group, kind, namespace);
      CREATE INDEX objects_by_model ON objects (cluster_id, model, kind);

      CREATE TABLE models (
        name            TEXT PRIMARY KEY,
        display_name    TEXT NOT NULL,
        category        TEXT NOT NULL,
        version         TEXT,
        primary_color   TEXT,
        secondary_color TEXT,
        svg             TEXT,
        source          TEXT NOT NULL,            -- shipped | imported
        source_path     TEXT,
        updated_at      INTEGER NOT NULL
      );
      CREATE TABLE components (
        model         TEXT NOT NULL REFERENCES models(name) ON DELETE CASCADE,
        api_group     TEXT NOT NULL,
        version       TEXT NOT NULL,
        kind          TEXT NOT NULL,
        display_name  TEXT NOT NULL,
        namespaced    INTEGER NOT NULL,
        styles        TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (model, api_group, version, kind)
      );
      CREATE INDEX components_by_kind ON components (api_group, kind);

      CREATE TABLE credentials (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        fields      TEXT NOT NULL DEFAULT '[]',   -- names of the fields that are set; never values
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE connections (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        description     TEXT NOT NULL DEFAULT '',
        url             TEXT NOT NULL DEFAULT '',
        kind            TEXT NOT NULL,
        type            TEXT NOT NULL,
        sub_type        TEXT NOT NULL DEFAULT '',
        credential_id   TEXT REFERENCES credentials(id) ON DELETE SET NULL,
        model_reference TEXT NOT NULL DEFAULT '{}',
        metadata        TEXT NOT NULL DEFAULT '{}',
        status          TEXT NOT NULL,
        cluster_id      TEXT,
        object_uid      TEXT,
        skip_tls_verify INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX connections_by_status ON connections (status);
      CREATE INDEX connections_by_object ON connections (cluster_id, object_uid);

      CREATE TABLE environments (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
        metadata    TEXT NOT NULL DEFAULT '{}',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE environment_connections (
        environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        connection_id  TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        created_at     INTEGER NOT NULL,
        PRIMARY KEY (environment_id, connection_id)
      );

      CREATE TABLE events (
        id           TEXT PRIMARY KEY,
        operation_id TEXT NOT NULL,
        category     TEXT NOT NULL,
        action       TEXT NOT NULL,
        description  TEXT NOT NULL,
        severity     TEXT NOT NULL,
        status       TEXT NOT NULL DEFAULT 'unread',
        acted_upon   TEXT,
        metadata     TEXT NOT NULL DEFAULT '{}',
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX events_by_time ON events (created_at DESC);
      CREATE INDEX events_by_status ON events (status, created_at DESC);
    `,
  },
  {
    version: 2,
    description: 'event filter indexes',
    sql: `
      CREATE INDEX events_by_severity ON events (severity, created_at DESC);
      CREATE INDEX events_by_category ON events (category, action);
    `,
  },
  {
    version: 3,
    description: 'objects: no secondary indexes',
    // The inventory is queried in memory; the objects table is only the snapshot restored at
    // startup (read in full), so its secondary indexes only slowed the bulk writes of a sync.
    sql: `
      DROP INDEX objects_by_kind;
      DROP INDEX objects_by_model;
    `,
  },
  {
    version: 4,
    description: 'one environment per name (any case), one live connection per discovered thing',
    // Two windows that each created "Staging", or each proposed the same Service (or the same
    // context's cluster: the key is per cluster, a recreated cluster is a new one), before they
    // merged left two rows. The later duplicates are renamed (environments) or marked deleted
    // (of one discovered thing, the one a user acted on is kept, else the first), then unique
    // indexes keep it so: a replayed duplicate is refused instead of stored.
    sql: `
      UPDATE environments SET name = name || ' (' || substr(id, 1, 8) || ')'
      WHERE EXISTS (
        SELECT 1 FROM environments older
        WHERE older.name = environments.name COLLATE NOCASE
          AND (older.created_at < environments.created_at OR (older.created_at = environments.created_at AND older.id < environments.id))
      );
      CREATE UNIQUE INDEX environments_by_name ON environments (name COLLATE NOCASE);
      UPDATE connections SET status = 'deleted'
      WHERE status <> 'deleted' AND json_extract(metadata, '$.candidateKey') IS NOT NULL
        AND EXISTS (
          SELECT 1 FROM connections kept
          WHERE kept.id <> connections.id AND kept.status <> 'deleted'
            AND kept.cluster_id IS connections.cluster_id
            AND json_extract(kept.metadata, '$.candidateKey') = json_extract(connections.metadata, '$.candidateKey')
            AND ((kept.status = 'discovered') < (connections.status = 'discovered')
              OR ((kept.status = 'discovered') = (connections.status = 'discovered')
                  AND (kept.created_at < connections.created_at OR (kept.created_at = connections.created_at AND kept.id < connections.id))))
        );
      CREATE UNIQUE INDEX connections_by_candidate ON connections (cluster_id, json_extract(metadata, '$.candidateKey'))
      WHERE status <> 'deleted' AND json_extract(metadata, '$.candidateKey') IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: 'discovered objects move out of the database',
    // They live in their own files now (InventorySnapshots): the database keeps users' data
    // only, so its saves stay small and fast. Discovery fills the files again.
    sql: `
      DROP TABLE objects;
      DROP TABLE resource_types;
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
