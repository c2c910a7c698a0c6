/**
 * The messages between the follower (main thread) and its page workers: the
 * bytes of a `jobs.find` answer (transferred, not copied); a note with the
 * page's head as soon as it is parsed, so the next page can be requested
 * while this one is validated; then the rows of its valid jobs.
 */
import type { JobRows } from '../../store/job-rows.js';
import type { InvalidDoc, PageHead } from './job-page.js';

export interface JobPageRequest {
  bytes: Uint8Array;
}

/** The page's head, or `notJson` when the bytes are not JSON (then the answer is empty). */
export type JobPageNote = { head: PageHead } | { notJson: true };

export interface JobPageResponse {
  /** Rows of the valid jobs, in page order. */
  rows: JobRows[];
  invalid: InvalidDoc[];
}
