/**
 * Worker thread of the import pool: reads, parses and validates `job.json`
 * files and builds their database rows, so the main thread only writes.
 */
import { type JobRows, jobRows } from '../../store/job-rows.js';
import { readDocumentTextSync } from './document-file.js';
import type { JobFileRequest, JobFileResponse } from './job-file-protocol.js';
import { type ReadDocumentResult, readJobFile } from './project-files.js';
import { describeRefusal } from '../write-jobs.js';
import { serveRequests } from '../worker-thread.js';

async function readRows(file: string, projectUid: string, root: string): Promise<ReadDocumentResult<JobRows>> {
  const result = await readJobFile(file, { root, projectUid, readText: readDocumentTextSync });
  if (!result.ok) return result;
  try {
    return { ok: true, value: jobRows(result.value) };
  } catch (error) {
    // Serialising the document failed (nested too deeply): a problem of this file, not a stopped worker.
    return { ok: false, kind: 'invalid', problems: [{ source: file, path: '', message: describeRefusal(error) }] };
  }
}

serveRequests<JobFileRequest, JobFileResponse>(({ files, projectUid, root }) => Promise.all(files.map((file) => readRows(file, projectUid, root))));
