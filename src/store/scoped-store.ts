import { type Access, canRead, readableProjects } from '../model/access.js';
import type { JobStore } from './job-store.js';

/**
 * The store as one caller may see it. Every read path of the API goes
 * through this (loaders, lineage, node lookups, subscriptions), so access is
 * decided in one place. A forbidden project looks exactly like a missing one:
 * lookups return undefined, listings leave it out, lineage of a forbidden root
 * does not exist. Writes are not here: see scoped-writer.ts.
 */
export function scopeStore(store: JobStore, access: Access): JobStore {
  const projects = readableProjects(access);
  if (projects === null) return store;
  const allowed = (projectUid: string) => canRead(access, projectUid);
  return {
    dialect: store.dialect,
    // Writes are checked by the scoped writer; the log head reveals nothing about a project.
    writeProjects: (p) => store.writeProjects(p),
    writeWorkspaces: (w) => store.writeWorkspaces(w),
    writeJobs: (jobs, options) => store.writeJobs(jobs, options),
    updateJob: (key, change) => store.updateJob(key, change),
    lastEventSeq: () => store.lastEventSeq(),
    deploymentId: () => store.deploymentId(),
    readFollowerPosition: (source) => store.readFollowerPosition(source),
    listFollowerSources: () => store.listFollowerSources(),
    writeFollowerPosition: (source, position) => store.writeFollowerPosition(source, position),
    acquireLease: (name, holder, ttlMs) => store.acquireLease(name, holder, ttlMs),
    releaseLease: (name, holder) => store.releaseLease(name, holder),
    close: () => store.close(),
    async findJobs(keys, options) {
      const found = await store.findJobs(keys.filter((k) => allowed(k.projectUid)), options);
      const byKey = new Map(found.map((j) => [j && `${j.project_uid}/${j.uid}`, j]));
      return keys.map((k) => (allowed(k.projectUid) ? byKey.get(`${k.projectUid}/${k.uid}`) : undefined));
    },
    listJobs: (args) => store.listJobs({ ...args, filter: { ...args.filter, projectUids: projects } }),
    countJobs: (filter) => store.countJobs({ ...filter, projectUids: projects }),
    findParents: async (keys, options) => {
      const lists = await store.findParents(keys, options);
      return keys.map((k, i) => (allowed(k.projectUid) ? lists[i]! : []));
    },
    findChildren: async (keys, options) => {
      const lists = await store.findChildren(keys, options);
      return keys.map((k, i) => (allowed(k.projectUid) ? lists[i]! : []));
    },
    findNeighbours: async (keys, options) => {
      const lists = await store.findNeighbours(keys, options);
      return keys.map((k, i) => (allowed(k.projectUid) ? lists[i]! : []));
    },
    countJobsByStatus: (uids) => store.countJobsByStatus(uids.filter(allowed)),
    listLineage: async (args) =>
      allowed(args.root.projectUid)
        ? store.listLineage(args)
        : { edges: [], hasNextPage: false, hasPreviousPage: false, totalCount: 0, ...(args.withRoot ? { root: null } : {}) },
    findSubgraph: async (args) => (allowed(args.root.projectUid) ? store.findSubgraph(args) : undefined),
    findLineageUids: async (root, walk) => (allowed(root.projectUid) ? store.findLineageUids(root, walk) : new Set()),
    findProjects: async (uids) => {
      const found = await store.findProjects(uids);
      return uids.map((u, i) => (allowed(u) ? found[i] : undefined));
    },
    listProjects: (page, uids) => store.listProjects(page, uids ? uids.filter(allowed) : projects),
    countProjects: (uids) => store.countProjects(uids ? uids.filter(allowed) : projects),
    findWorkspaces: async (keys) => {
      const found = await store.findWorkspaces(keys);
      return keys.map((k, i) => (allowed(k.projectUid) ? found[i] : undefined));
    },
    listWorkspaces: async (uids) => {
      const lists = await store.listWorkspaces(uids);
      return uids.map((u, i) => (allowed(u) ? lists[i]! : []));
    },
    readEvents: (query) => store.readEvents({ ...query, projectUids: projects }),
  };
}
