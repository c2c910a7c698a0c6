/**
 * Worker thread of the import pool: reads, parses and validates `job.json`
 * files and builds their database rows, so the main thread only writes.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { type JobRows, jobRows } from '../store/job-rows.js';
import { type ReadDocumentResult, type ReadText, readJobFile } from './import-project.js';

export interface JobFileRequest {
  id: number;
  files: string[];
  projectUid: string;
}

export interface JobFileResponse {
  id: number;
  results: ReadDocumentResult<JobRows>[];
}

const readTextSync: ReadText = (file) => readFileSync(file, 'utf8');

async function readRows(file: string, projectUid: string): Promise<ReadDocumentResult<JobRows>> {
  const result = await readJobFile(file, projectUid, readTextSync);
  return result.ok ? { ok: true, value: jobRows(result.value) } : result;
}

parentPort?.on('message', async ({ id, files, projectUid }: JobFileRequest) => {
  const results = await Promise.all(files.map((file) => readRows(file, projectUid)));
  parentPort?.postMessage({ id, results } satisfies JobFileResponse);
});
