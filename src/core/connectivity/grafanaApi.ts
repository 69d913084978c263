import { ServicePath, ServiceTarget, getFromService } from './serviceRequest';

export interface GrafanaBoard {
  readonly uid: string;
  readonly title: string;
  /** The board's path on the Grafana server (Grafana's `url` field), e.g. /d/abc/overview. */
  readonly url: string;
  readonly folder: string;
}

/** The dashboards the credential can see (GET /api/search?type=dash-db), by folder and title. */
export async function grafanaBoards(target: ServiceTarget): Promise<{ boards: GrafanaBoard[]; path: ServicePath }> {
  const answer = await getFromService({ ...target, basicForColon: true }, '/api/search?type=dash-db&limit=5000');
  let hits: unknown;
  try {
    hits = JSON.parse(answer.body);
  } catch {
    throw new Error("The answer to the dashboard search is not Grafana's JSON; is this URL a Grafana?");
  }
  if (!Array.isArray(hits)) throw new Error('Grafana answered the dashboard search with something other than a list.');
  const boards = hits
    .filter((h): h is Record<string, unknown> => !!h && typeof h === 'object' && typeof (h as { uid?: unknown }).uid === 'string')
    .map((h) => ({ uid: String(h.uid), title: String(h.title ?? h.uid), url: String(h.url ?? ''), folder: String(h.folderTitle ?? 'General') }))
    .sort((a, b) => a.folder.localeCompare(b.folder) || a.title.localeCompare(b.title));
  return { boards, path: answer.path };
}
