import { describe, expect, it } from 'vitest';
import { jobInputEdges, parentUidsOf } from '../../src/model/edges.js';
import { parseJobDocument } from '../../src/model/job.js';

const connection = (job_uid: string, output: string) => ({ job_uid, output });

const job = parseJobDocument({
  uid: 'J20',
  project_uid: 'P1',
  job_dir: 'J20',
  job_dir_size_last_updated: 0,
  spec: {
    type: 'homo_refine_new',
    inputs: {
      particles: { type: 'particle', title: 'Particles', connections: [connection('J15', 'particles'), connection('J18', 'particles_selected')] },
      volume: { type: 'volume', title: 'Volume', connections: [connection('J15', 'volume'), connection('J20', 'volume')] },
      mask: { type: 'mask', title: 'Mask' },
    },
  },
});

describe('lineage edges', () => {
  it('list every input connection in input order, then connection order', () => {
    expect(jobInputEdges(job)).toEqual([
      { parentUid: 'J15', inputName: 'particles', connectionIndex: 0, outputName: 'particles' },
      { parentUid: 'J18', inputName: 'particles', connectionIndex: 1, outputName: 'particles_selected' },
      { parentUid: 'J15', inputName: 'volume', connectionIndex: 0, outputName: 'volume' },
      { parentUid: 'J20', inputName: 'volume', connectionIndex: 1, outputName: 'volume' },
    ]);
  });

  it('give distinct parents in first-seen order, without the job itself', () => {
    expect(parentUidsOf(job)).toEqual(['J15', 'J18']);
  });

  it('are empty for a job without inputs', () => {
    const root = parseJobDocument({ uid: 'J1', project_uid: 'P1', job_dir: 'J1', job_dir_size_last_updated: 0, spec: { type: 'import_movies' } });
    expect(jobInputEdges(root)).toEqual([]);
    expect(parentUidsOf(root)).toEqual([]);
  });
});
