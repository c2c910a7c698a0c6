/** The Kysely store's reads of projects and workspaces. */
import type { Kysely } from 'kysely';
import type { Project, Workspace } from '../model/project.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { type Database, rowToProject, rowToWorkspace } from './database.js';
import { groupByProject, keyOf } from './job-rows.js';
import type { Page, PageArgs, WorkspaceKey } from './job-store.js';
import { named, resolvePage } from './kysely-shared.js';

export async function findProjects(db: Kysely<Database>, uids: readonly string[]): Promise<(Project | undefined)[]> {
  if (uids.length === 0) return [];
  const rows = await db
    .selectFrom('projects')
    .select(['uid', 'doc'])
    .where('uid', 'in', [...new Set(uids)])
    .modifyEnd(named('findProjects'))
    .execute();
  const byUid = new Map(rows.map((r) => [r.uid, rowToProject(r)]));
  return uids.map((u) => byUid.get(u));
}

export async function listProjects(db: Kysely<Database>, page: PageArgs, uids?: readonly string[] | null): Promise<Page<Project>> {
  const { size, backward, cursor } = resolvePage(page);
  const sortId = 'projects:uid';
  const after = cursor == null ? null : Number(decodeCursor(cursor, sortId, 1)[0]);
  let query = db.selectFrom('projects').select(['uid_num', 'doc']).where('deleted', '=', 0);
  if (uids) query = query.where('uid', 'in', uids.length ? [...uids] : ['']);
  if (after != null) query = query.where('uid_num', backward ? '<' : '>', after);
  const rows = await query
    .orderBy('uid_num', backward ? 'desc' : 'asc')
    .limit(size + 1)
    .modifyEnd(named('listProjects'))
    .execute();
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (backward) pageRows.reverse();
  return {
    edges: pageRows.map((r) => ({ cursor: encodeCursor(sortId, [r.uid_num]), node: rowToProject(r) })),
    hasNextPage: backward ? cursor != null : more,
    hasPreviousPage: backward ? more : cursor != null,
  };
}

export async function countProjects(db: Kysely<Database>, uids?: readonly string[] | null): Promise<number> {
  let query = db
    .selectFrom('projects')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('deleted', '=', 0);
  if (uids) query = query.where('uid', 'in', uids.length ? [...uids] : ['']);
  const row = await query.modifyEnd(named('countProjects')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findWorkspaces(db: Kysely<Database>, keys: readonly WorkspaceKey[]): Promise<(Workspace | undefined)[]> {
  const found = new Map<string, Workspace>();
  for (const [projectUid, uids] of groupByProject(keys)) {
    const rows = await db
      .selectFrom('workspaces')
      .select(['project_uid', 'uid', 'doc'])
      .where('project_uid', '=', projectUid)
      .where('uid', 'in', uids)
      .modifyEnd(named('findWorkspaces'))
      .execute();
    for (const row of rows) found.set(keyOf(row.project_uid, row.uid), rowToWorkspace(row));
  }
  return keys.map((k) => found.get(keyOf(k.projectUid, k.uid)));
}

export async function listWorkspaces(db: Kysely<Database>, projectUids: readonly string[]): Promise<Workspace[][]> {
  if (projectUids.length === 0) return [];
  const rows = await db
    .selectFrom('workspaces')
    .select(['project_uid', 'doc'])
    .where('project_uid', 'in', [...new Set(projectUids)])
    .where('deleted', '=', 0)
    .orderBy('uid_num')
    .modifyEnd(named('listWorkspaces'))
    .execute();
  return projectUids.map((p) => rows.filter((r) => r.project_uid === p).map(rowToWorkspace));
}
