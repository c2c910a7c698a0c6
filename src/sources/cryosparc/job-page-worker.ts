/**
 * Worker thread of the follower's page pool: parses a page of `jobs.find`,
 * tells its head at once, then validates its documents and builds their
 * database rows, so the main thread only writes.
 */
import { type JobRows, jobRows } from '../../store/job-rows.js';
import { serveRequests } from '../worker-thread.js';
import { describeRefusal } from '../write-jobs.js';
import { type InvalidDoc, invalidDoc, pageHead, type ParsedPage, parsePage, validateDoc } from './job-page.js';
import type { JobPageNote, JobPageRequest, JobPageResponse } from './job-page-protocol.js';

serveRequests<JobPageRequest, JobPageResponse, JobPageNote>(({ bytes }, note) => {
  let page: ParsedPage;
  try {
    page = parsePage(bytes);
  } catch {
    note({ notJson: true });
    return { rows: [], invalid: [] };
  }
  const { docs, source } = page;
  note({ head: pageHead(docs) });
  const rows: JobRows[] = [];
  const invalid: InvalidDoc[] = [];
  for (const raw of docs) {
    const result = validateDoc(raw, source);
    if (!result.ok) {
      invalid.push(result.invalid);
      continue;
    }
    try {
      rows.push(jobRows(result.job));
    } catch (error) {
      // Serialising the document failed (nested too deeply): a problem of this document, not a stopped worker.
      invalid.push(invalidDoc(raw, [{ source: 'cryosparc', path: '', message: describeRefusal(error) }]));
    }
  }
  return { rows, invalid };
});
