import type { JobStatus } from '../model/job-status.js';
import { JOB_STATUSES } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import { builder, pageComplexity } from './builder.js';
import { toConnection } from './connection.js';
import { JobStatusRef } from './job-enums.js';
import { uidInput } from './input-checks.js';
import { JobFilterInput, JobOrderInput, toStoreFilter } from './job-filter.js';
import { JobConnectionRef, JobRef, resolveJobConnection } from './job.js';

export const ProjectRef = builder.objectRef<Project>('Project');
export const WorkspaceRef = builder.objectRef<Workspace>('Workspace');

const StatusCountRef = builder.objectRef<{ status: JobStatus; count: number }>('StatusCount').implement({
  description: 'How many jobs have a status.',
  fields: (t) => ({
    status: t.field({ type: JobStatusRef, description: 'The status.', resolve: (c) => c.status }),
    count: t.exposeInt('count', { description: 'Jobs with it (deleted jobs excluded).' }),
  }),
});


builder.node(ProjectRef, {
  description: 'A CryoSPARC project: a directory of jobs, organised in workspaces.',
  id: { resolve: (p) => p.uid, description: 'Global id; refetch with `node(id:)`.' },
  loadMany: (uids, ctx) => Promise.all(uids.map((uid) => ctx.loaders.project.load(uid))),
  fields: (t) => ({
    uid: t.exposeString('uid', { description: 'Project uid, e.g. `P3`.' }),
    uidNum: t.exposeInt('uid_num', { description: 'The number in the uid.' }),
    title: t.exposeString('title', { description: 'Title.' }),
    description: t.exposeString('description', { description: 'Description.' }),
    projectDir: t.exposeString('project_dir', { description: 'Absolute path of the project directory.' }),
    ownerUserId: t.exposeString('owner_user_id', { description: 'Id of the owning user.' }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (p) => p.created_at }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last modification.', resolve: (p) => p.updated_at }),
    archived: t.exposeBoolean('archived', { description: 'Archived.' }),
    detached: t.exposeBoolean('detached', { description: 'Detached from the instance.' }),
    deleted: t.exposeBoolean('deleted', { description: 'Soft-deleted.' }),
    size: t.float({ description: 'Size in bytes.', resolve: (p) => p.size }),
    tags: t.exposeStringList('tags', { description: 'Tag uids.' }),
    usersWithAccess: t.exposeStringList('users_with_access', { description: 'Ids of users with access.' }),
    document: t.field({ type: 'JSON', description: 'The whole stored project document.', resolve: (p) => p }),
    workspaces: t.field({
      type: [WorkspaceRef],
      description: 'Workspaces and Live sessions of the project, by uid.',
      resolve: (p, _a, ctx) => ctx.loaders.workspacesOfProject.load(p.uid),
    }),
    jobCountsByStatus: t.field({
      type: [StatusCountRef],
      description: 'Job counts per status, every status listed (zero included), in lifecycle order.',
      resolve: async (p, _a, ctx) => {
        const counts = await ctx.loaders.statusCounts.load(p.uid);
        return JOB_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
      },
    }),
    jobs: t.connection(
      {
        type: JobRef,
        description: 'Jobs of this project, filtered, sorted and paged.',
        complexity: pageComplexity,
        args: {
          filter: t.arg({ type: JobFilterInput, description: 'Which jobs (its projectUid is ignored).' }),
          orderBy: t.arg({ type: [JobOrderInput], description: 'Sort keys. Default: newest first.' }),
        },
        resolve: (p, args, ctx, info) => resolveJobConnection(ctx, args, toStoreFilter(args.filter, { projectUid: p.uid }), info),
      },
      JobConnectionRef,
    ),
  }),
});

builder.node(WorkspaceRef, {
  description: 'A workspace: a label grouping jobs of a project (a job may be in several).',
  id: { resolve: (w) => `${w.project_uid}/${w.uid}`, description: 'Global id; refetch with `node(id:)`.' },
  loadMany: (ids, ctx) =>
    Promise.all(
      ids.map((id) => {
        const [projectUid = '', uid = ''] = id.split('/');
        return ctx.loaders.workspace.load({ projectUid, uid });
      }),
    ),
  fields: (t) => ({
    uid: t.exposeString('uid', { description: 'Workspace uid, e.g. `W2`.' }),
    uidNum: t.exposeInt('uid_num', { description: 'The number in the uid.' }),
    projectUid: t.exposeString('project_uid', { description: 'Project uid.' }),
    title: t.exposeString('title', { nullable: true, description: 'Title.' }),
    description: t.exposeString('description', { nullable: true, description: 'Description.' }),
    workspaceType: t.exposeString('workspace_type', { description: '`base` for a workspace, `live` for a Live session.' }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (w) => w.created_at }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last modification.', resolve: (w) => w.updated_at }),
    deleted: t.exposeBoolean('deleted', { description: 'Soft-deleted.' }),
    tags: t.exposeStringList('tags', { description: 'Tag uids.' }),
    document: t.field({ type: 'JSON', description: 'The whole stored workspace document.', resolve: (w) => w }),
    project: t.field({
      type: ProjectRef,
      nullable: true,
      description: 'The project it belongs to.',
      resolve: (w, _a, ctx) => ctx.loaders.project.load(w.project_uid),
    }),
    jobs: t.connection(
      {
        type: JobRef,
        description: 'Jobs linked to this workspace, filtered, sorted and paged.',
        complexity: pageComplexity,
        args: {
          filter: t.arg({ type: JobFilterInput, description: 'Which jobs (its projectUid and workspaceUid are ignored).' }),
          orderBy: t.arg({ type: [JobOrderInput], description: 'Sort keys. Default: newest first.' }),
        },
        resolve: (w, args, ctx, info) =>
          resolveJobConnection(ctx, args, toStoreFilter(args.filter, { projectUid: w.project_uid, workspaceUid: w.uid }), info),
      },
      JobConnectionRef,
    ),
  }),
});

builder.objectFields(JobRef, (t) => ({
  project: t.field({
    type: ProjectRef,
    nullable: true,
    description: 'The project the job belongs to.',
    resolve: (j, _a, ctx) => ctx.loaders.project.load(j.project_uid),
  }),
  workspaces: t.field({
    type: [WorkspaceRef],
    description: 'The workspaces the job belongs to.',
    resolve: async (j, _a, ctx) =>
      (await ctx.loaders.workspace.loadMany(j.workspace_uids.map((uid) => ({ projectUid: j.project_uid, uid })))).filter(
        (w): w is Workspace => w != null && !(w instanceof Error),
      ),
  }),
}));

builder.queryFields((t) => ({
  project: t.field({
    type: ProjectRef,
    nullable: true,
    description: 'One project by uid; null when it does not exist.',
    args: { uid: t.arg.string({ required: true, description: 'Project uid, e.g. `P3`.', ...uidInput('P') }) },
    resolve: (_r, args, ctx) => ctx.loaders.project.load(args.uid),
  }),
  projects: t.connection({
    type: ProjectRef,
    description: 'Projects by uid number.',
    complexity: pageComplexity,
    resolve: async (_r, args, ctx) => {
      const page = await ctx.store.listProjects(args);
      return toConnection(page, () => ctx.store.countProjects());
    },
  }, { name: 'ProjectConnection', description: 'A page of projects.' }, { name: 'ProjectEdge', description: 'A project of a page, with its cursor.' }),
  workspace: t.field({
    type: WorkspaceRef,
    nullable: true,
    description: 'One workspace by project and uid; null when it does not exist.',
    args: {
      projectUid: t.arg.string({ required: true, description: 'Project uid.', ...uidInput('P') }),
      uid: t.arg.string({ required: true, description: 'Workspace uid, e.g. `W2`.', ...uidInput('W') }),
    },
    resolve: (_r, args, ctx) => ctx.loaders.workspace.load({ projectUid: args.projectUid, uid: args.uid }),
  }),
}));
