/** Job categories (builder sections) in CryoSPARC's display order. */
export const JOB_CATEGORIES = [
  'import',
  'motion_correction',
  'ctf_estimation',
  'exposure_curation',
  'particle_picking',
  'extraction',
  'deep_picker',
  'particle_curation',
  'reconstruction',
  'refinement',
  'ctf_refinement',
  'variability',
  'flexibility',
  'postprocessing',
  'local_refinement',
  'helix',
  'utilities',
  'simulations',
  'live',
  'instance_testing',
  'workflows',
] as const;

export type JobCategory = (typeof JOB_CATEGORIES)[number];

export function isJobCategory(value: unknown): value is JobCategory {
  return typeof value === 'string' && (JOB_CATEGORIES as readonly string[]).includes(value);
}

/**
 * Category of common CryoSPARC job types. Upstream, the category comes from the
 * instance's job register; this map covers the types we see in practice.
 */
const CATEGORY_BY_JOB_TYPE: Readonly<Record<string, JobCategory>> = {
  import_movies: 'import',
  import_micrographs: 'import',
  import_particles: 'import',
  import_volumes: 'import',
  patch_motion_correction_multi: 'motion_correction',
  motion_correction_motioncor2: 'motion_correction',
  rigid_motion_correction: 'motion_correction',
  patch_ctf_estimation_multi: 'ctf_estimation',
  ctffind4: 'ctf_estimation',
  gctf: 'ctf_estimation',
  curate_exposures_v2: 'exposure_curation',
  blob_picker_gpu: 'particle_picking',
  template_picker_gpu: 'particle_picking',
  manual_picker: 'particle_picking',
  filament_tracer_gpu: 'particle_picking',
  extract_micrographs_multi: 'extraction',
  extract_micrographs_cpu_parallel: 'extraction',
  downsample_particles: 'extraction',
  topaz_train: 'deep_picker',
  topaz_extract: 'deep_picker',
  class_2D_new: 'particle_curation',
  class_2D: 'particle_curation',
  select_2D: 'particle_curation',
  remove_duplicate_particles: 'particle_curation',
  homo_abinit: 'reconstruction',
  homo_refine_new: 'refinement',
  nonuniform_refine_new: 'refinement',
  hetero_refine: 'refinement',
  class_3D: 'refinement',
  homo_reconstruct: 'refinement',
  ctf_refine_global: 'ctf_refinement',
  ctf_refine_local: 'ctf_refinement',
  reference_motion_correction: 'ctf_refinement',
  var_3D: 'variability',
  var_3D_disp: 'variability',
  flex_prep: 'flexibility',
  flex_train: 'flexibility',
  flex_generate: 'flexibility',
  sharpen: 'postprocessing',
  local_resolution: 'postprocessing',
  validation: 'postprocessing',
  orientation_diagnostics: 'postprocessing',
  new_local_refine: 'local_refinement',
  helix_refine: 'helix',
  particle_sets: 'utilities',
  exposure_sets: 'utilities',
  volume_tools: 'utilities',
  cache_particles: 'utilities',
  simulator: 'simulations',
  rtp_worker: 'live',
  instance_launch_test: 'instance_testing',
  workflow_apply: 'workflows',
};

/** The job types {@link categoryOfJobType} knows, for data generators and tests. */
export const KNOWN_JOB_TYPES: readonly string[] = Object.freeze(Object.keys(CATEGORY_BY_JOB_TYPE));

/** Category of a job type (`spec.type`), or null when the type is not in our map. */
export function categoryOfJobType(type: string): JobCategory | null {
  return Object.hasOwn(CATEGORY_BY_JOB_TYPE, type) ? (CATEGORY_BY_JOB_TYPE[type] ?? null) : null;
}
