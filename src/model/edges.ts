/**
 * Lineage edges of a job. An edge parent -> child exists when
 * `child.spec.inputs[input].connections[i].job_uid` is the parent's uid;
 * `Job.parents` is CryoSPARC's denormalised copy of the same information.
 * Result-level overrides (`InputResult.job_uid`) are not edges here.
 */

/** The part of a job that lineage needs; a parsed `Job` satisfies it. */
export interface JobWithInputs {
  readonly uid: string;
  readonly spec: {
    readonly inputs: Readonly<
      Record<string, { readonly connections: readonly { readonly job_uid: string; readonly output: string }[] }>
    >;
  };
}

/** One input connection of a job: the parent's output `outputName` feeds input `inputName`. */
export interface JobInputEdge {
  parentUid: string;
  inputName: string;
  /** Position in the input's connection list (the index CryoSPARC's API uses). */
  connectionIndex: number;
  outputName: string;
}

/** Every input connection of `job`, in input order, then connection order. Self-connections included. */
export function jobInputEdges(job: JobWithInputs): JobInputEdge[] {
  const edges: JobInputEdge[] = [];
  for (const [inputName, input] of Object.entries(job.spec.inputs)) {
    input.connections.forEach((connection, connectionIndex) => {
      edges.push({ parentUid: connection.job_uid, inputName, connectionIndex, outputName: connection.output });
    });
  }
  return edges;
}

/** Distinct parent uids of `job` in first-seen order, without the job itself. */
export function parentUidsOf(job: JobWithInputs): string[] {
  const parents = new Set<string>();
  for (const edge of jobInputEdges(job)) {
    if (edge.parentUid !== job.uid) parents.add(edge.parentUid);
  }
  return [...parents];
}
