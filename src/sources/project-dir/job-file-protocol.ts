/**
 * The messages between the import's job-file pool (main thread) and its
 * workers: which files to read, and what reading each one gave.
 */
import type { JobRows } from '../../store/job-rows.js';
import type { ReadDocumentResult } from './project-files.js';

export interface JobFileRequest {
  files: string[];
  projectUid: string;
  /** The project directory, resolved: symbolic links may not lead outside it. */
  root: string;
}

/** The result of each file, in the request's order. */
export type JobFileResponse = ReadDocumentResult<JobRows>[];
