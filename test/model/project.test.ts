import { describe, expect, it } from 'vitest';
import { formatZodIssues } from '../../src/model/zod-helpers.js';
import {
  parseProjectDocument,
  parseWorkspaceDocument,
  safeParseProjectDocument,
  safeParseWorkspaceDocument,
} from '../../src/model/project.js';

describe('project documents', () => {
  it('parse from a bare uid with every default filled', () => {
    const project = parseProjectDocument({ uid: 'P1' });
    expect(project).toMatchObject({
      _id: '000000000000000000000000',
      uid: 'P1',
      uid_num: 1,
      project_dir: '',
      owner_user_id: '',
      title: '',
      size: 0,
      size_last_updated: '1970-01-01T00:00:00.000Z',
      created_at_version: 'unknown',
      last_accessed: null,
      import_status: null,
      generate_intermediate_results_settings: { class_2D_new: false, class_3D: false, var_3D_disp: false },
      project_stats: { workspace_count: 0, session_count: 0, job_count: 0, job_types: {}, job_sections: {}, job_status: {}, updated_at: null },
      workflows: { latest_workflow_uid: null, runs: {} },
      autodump: true,
    });
  });

  it('keep their values, unknown fields and normalise dates', () => {
    const project = parseProjectDocument({
      _id: { $oid: '64b000000000000000000001' },
      uid: 'P3',
      uid_num: 3,
      project_dir: '/data/cryosparc/CS-apoferritin',
      owner_user_id: '64a0f0f0f0f0f0f0f0f0f0f1',
      title: 'Apoferritin',
      size: 123456789,
      size_last_updated: { $date: '2025-01-02T03:04:05Z' },
      last_accessed: { name: 'alice', accessed_at: 1735787045000 },
      import_status: 'accepted',
      project_stats: { job_count: 42, job_status: { completed: 40, failed: 2 }, updated_at: '2025-01-02T00:00:00Z' },
      workflows: { latest_workflow_uid: 'WF1', runs: { WF1: 3 } },
      x_lab: 'structural biology',
    });
    expect(project._id).toBe('64b000000000000000000001');
    expect(project.size_last_updated).toBe('2025-01-02T03:04:05.000Z');
    expect(project.last_accessed).toEqual({ name: 'alice', accessed_at: '2025-01-02T03:04:05.000Z' });
    expect(project.project_stats.job_status).toEqual({ completed: 40, failed: 2 });
    expect(project.project_stats.workspace_count).toBe(0);
    expect(project.workflows.runs).toEqual({ WF1: 3 });
    expect((project as Record<string, unknown>).x_lab).toBe('structural biology');
    expect(parseProjectDocument(JSON.parse(JSON.stringify(project)))).toEqual(project);
  });

  it('report a uid that is not P<n> and an unknown import status', () => {
    const result = safeParseProjectDocument({ uid: 'W1', import_status: 'lost' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const lines = formatZodIssues(result.error);
    expect(lines[0]).toBe('uid: expected a project uid like P42, received "W1"');
    expect(lines[1]).toMatch(/^import_status: /);
  });
});

describe('workspace documents', () => {
  it('parse the v4 WorkspaceDocument shape', () => {
    const workspace = parseWorkspaceDocument({
      _id: { $oid: '5f9a00000000000000000004' },
      uid: 'W4',
      uid_num: 4,
      project_uid: 'P3',
      project_uid_num: 3,
      created_at: { $date: '2023-06-01T10:00:00.000Z' },
      created_by_user_id: '5f9a0000000000000000aaaa',
      deleted: false,
      title: 'Live session 1',
      description: null,
      workspace_type: 'live',
    });
    expect(workspace).toMatchObject({
      _id: '5f9a00000000000000000004',
      uid: 'W4',
      project_uid_num: 3,
      created_at: '2023-06-01T10:00:00.000Z',
      workspace_type: 'live',
      description: null,
      groups: [],
      workspace_stats: { job_count: 0, job_types: {}, updated_at: null },
    });
  });

  it('derive uid numbers, default the type to base and read job groups', () => {
    const workspace = parseWorkspaceDocument({
      uid: 'W12',
      project_uid: 'P7',
      groups: [{ id: 1, jobs: ['J3', 'J4'], title: 'Refinements', color: '#ff8800' }],
      session_uid: 'S2',
    });
    expect([workspace.uid_num, workspace.project_uid_num, workspace.workspace_type]).toEqual([12, 7, 'base']);
    expect(workspace.groups).toEqual([{ id: 1, jobs: ['J3', 'J4'], title: 'Refinements', description: null, color: '#ff8800' }]);
    expect(workspace.title).toBeNull();
    expect((workspace as Record<string, unknown>).session_uid).toBe('S2');
  });

  it('report a missing project_uid and an unknown workspace type', () => {
    const result = safeParseWorkspaceDocument({ uid: 'W1', workspace_type: 'shared' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const lines = formatZodIssues(result.error);
    expect(lines).toContain('project_uid: expected string, received undefined');
    expect(lines.some((line) => line.startsWith('workspace_type: '))).toBe(true);
  });
});
