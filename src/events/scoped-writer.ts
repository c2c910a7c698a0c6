import { type Access, canRead, canWrite } from '../model/access.js';
import { ForbiddenError } from '../model/errors.js';
import type { JobWriter } from './job-writer.js';

/**
 * The write path as one caller may use it. Writing needs a write grant on the
 * job's project. A job the caller cannot even read is reported as missing
 * (undefined → NOT_FOUND), like everywhere else; one it can read but not
 * change is FORBIDDEN.
 */
export function scopeWriter(writer: JobWriter, access: Access): JobWriter {
  if (access.admin) return writer;
  return {
    async writeJobs(jobs, options) {
      const denied = [...new Set(jobs.map((j) => j.project_uid).filter((p) => !canWrite(access, p)))];
      if (denied.length > 0) throw new ForbiddenError(`No write access to project ${denied.join(', ')}.`, { details: { projects: denied } });
      return writer.writeJobs(jobs, options);
    },
    async updateJob(key, change) {
      if (!canRead(access, key.projectUid)) return undefined;
      if (!canWrite(access, key.projectUid)) throw new ForbiddenError(`No write access to project ${key.projectUid}.`);
      return writer.updateJob(key, change);
    },
  };
}
