/**
 * The job-type catalogue of the synthetic generator: each CryoSPARC job type
 * it writes, with its inputs, outputs and their slots, and which types may
 * follow which.
 */

type DataType = 'exposure' | 'particle' | 'template' | 'volume' | 'mask';
export type Slot = readonly [name: string, dtype: string];

export interface InputDef {
  readonly name: string;
  readonly type: DataType;
  readonly title: string;
  readonly countMin: number;
  readonly countMax: number | 'inf';
  readonly slots: readonly Slot[];
  readonly slotNames: ReadonlySet<string>;
  /** `slots` as written into documents; frozen and shared by every job of the type. */
  readonly docSlots: readonly { readonly name: string; readonly dtype: string; readonly required: boolean }[];
}

export interface OutputDef {
  readonly name: string;
  readonly type: DataType;
  readonly title: string;
  readonly own: readonly Slot[];
  readonly passthroughInput: string | null;
  readonly passthrough: readonly Slot[];
  /** `slots` as written into documents; frozen and shared by every job of the type. */
  readonly docSlots: readonly { readonly name: string; readonly dtype: string }[];
  /** `own` then `passthrough`: what a connection to this output binds. */
  readonly allSlots: readonly Slot[];
}

export interface JobTypeDef {
  readonly type: string;
  readonly title: string;
  readonly category: string;
  /** 0 preprocessing, 1 picking and 2D, 2 3D; picks the workspace. */
  readonly stage: 0 | 1 | 2;
  readonly inputs: readonly InputDef[];
  readonly outputs: readonly OutputDef[];
  readonly resources: { readonly cpu: number; readonly gpu: number; readonly ram: number; readonly ssd: boolean };
  readonly runtimeMin: readonly [number, number];
  readonly interactive: boolean;
  /** Bytes in the job directory per output item (rough). */
  readonly bytesPerItem: number;
  readonly bytesFixed: number;
}

const s = (name: string, dtype: string = name): Slot => [name, dtype];

const MOVIE = [s('movie_blob'), s('mscope_params'), s('gain_ref_blob')];
const MIC_OWN = [
  s('micrograph_blob'),
  s('micrograph_blob_non_dw', 'micrograph_blob'),
  s('micrograph_thumbnail_blob_1x', 'micrograph_thumbnail_blob'),
  s('background_blob', 'stat_blob'),
  s('rigid_motion', 'motion'),
  s('spline_motion', 'motion'),
];
const EXPOSURE_PT = [
  s('micrograph_blob'),
  s('micrograph_thumbnail_blob_1x', 'micrograph_thumbnail_blob'),
  s('background_blob', 'stat_blob'),
  s('mscope_params'),
];
const CTF_OWN = [s('ctf'), s('ctf_stats')];
const CTF_EXPOSURE = [...CTF_OWN, ...EXPOSURE_PT];
const PARTICLE_PT = [s('blob'), s('ctf'), s('location')];
const PARTICLE_2D = [...PARTICLE_PT, s('alignments2D')];
const VOLUME_OWN = [
  s('map', 'volume'),
  s('map_sharp', 'volume'),
  s('map_half_A', 'volume'),
  s('map_half_B', 'volume'),
  s('precision', 'volume'),
];
const CLASS_VOLUME = [s('map', 'volume'), s('map_half_A', 'volume'), s('map_half_B', 'volume')];
const MASK_OWN = [s('mask', 'volume'), s('mask_fsc', 'volume')];

function input(name: string, type: DataType, title: string, slots: readonly Slot[], countMin = 1, countMax: number | 'inf' = 1): InputDef {
  const docSlots = deepFreeze(slots.map(([slot, dtype]) => ({ name: slot, dtype, required: true })));
  return { name, type, title, countMin, countMax, slots, slotNames: new Set(slots.map(([slot]) => slot)), docSlots };
}

function output(
  name: string,
  type: DataType,
  title: string,
  own: readonly Slot[],
  passthroughInput: string | null = null,
  passthrough: readonly Slot[] = [],
): OutputDef {
  const docSlots = deepFreeze([...own, ...passthrough].map(([slot, dtype]) => ({ name: slot, dtype })));
  return { name, type, title, own, passthroughInput, passthrough, docSlots, allSlots: [...own, ...passthrough] };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

type DefBase = Omit<JobTypeDef, 'interactive' | 'bytesFixed'> & { interactive?: boolean; bytesFixed?: number };
const def = (d: DefBase): JobTypeDef => ({ interactive: false, bytesFixed: 50_000, ...d });

const refineInputs = [
  input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf')], 1, 'inf'),
  input('volume', 'volume', 'Initial volume', [s('map', 'volume')]),
  input('mask', 'mask', 'Static mask', [s('mask', 'volume')], 0, 1),
];
const refineOutputs = [
  output('particles', 'particle', 'Refined particles', [s('alignments3D')], 'particles', PARTICLE_PT),
  output('volume', 'volume', 'Refined volume', VOLUME_OWN),
  output('mask', 'mask', 'Mask', MASK_OWN),
];

const DEFS: Readonly<Record<string, JobTypeDef>> = Object.fromEntries(
  [
    def({
      type: 'import_movies', title: 'Import Movies', category: 'import', stage: 0,
      inputs: [],
      outputs: [output('imported_movies', 'exposure', 'Imported movies', MOVIE)],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [1, 10], bytesPerItem: 3_000,
    }),
    def({
      type: 'patch_motion_correction_multi', title: 'Patch Motion Correction', category: 'motion_correction', stage: 0,
      inputs: [input('movies', 'exposure', 'Movies', MOVIE, 1, 'inf')],
      outputs: [
        output('micrographs', 'exposure', 'Motion-corrected micrographs', MIC_OWN, 'movies', MOVIE),
        output('micrographs_incomplete', 'exposure', 'Incomplete micrographs', MIC_OWN, 'movies', MOVIE),
      ],
      resources: { cpu: 6, gpu: 1, ram: 2, ssd: false }, runtimeMin: [20, 180], bytesPerItem: 48_000_000,
    }),
    def({
      type: 'patch_ctf_estimation_multi', title: 'Patch CTF Estimation', category: 'ctf_estimation', stage: 0,
      inputs: [input('exposures', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params'), s('background_blob', 'stat_blob')], 1, 'inf')],
      outputs: [output('exposures', 'exposure', 'Micrographs with CTF', CTF_OWN, 'exposures', EXPOSURE_PT)],
      resources: { cpu: 2, gpu: 1, ram: 1, ssd: false }, runtimeMin: [5, 40], bytesPerItem: 400_000,
    }),
    def({
      type: 'curate_exposures_v2', title: 'Manually Curate Exposures', category: 'exposure_curation', stage: 0,
      inputs: [input('exposures', 'exposure', 'Exposures', [s('ctf'), s('micrograph_blob'), s('mscope_params')], 1, 'inf')],
      outputs: [
        output('exposures_accepted', 'exposure', 'Accepted exposures', [], 'exposures', CTF_EXPOSURE),
        output('exposures_rejected', 'exposure', 'Rejected exposures', [], 'exposures', CTF_EXPOSURE),
      ],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [5, 45], interactive: true, bytesPerItem: 2_000,
    }),
    def({
      type: 'blob_picker_gpu', title: 'Blob Picker', category: 'particle_picking', stage: 1,
      inputs: [input('micrographs', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params')], 1, 'inf')],
      outputs: [
        output('micrographs', 'exposure', 'Micrographs', [], 'micrographs', CTF_EXPOSURE),
        output('particles', 'particle', 'Particles', [s('location'), s('pick_stats')], 'micrographs', [s('ctf')]),
      ],
      resources: { cpu: 1, gpu: 1, ram: 1, ssd: false }, runtimeMin: [5, 40], bytesPerItem: 120,
    }),
    def({
      type: 'template_picker_gpu', title: 'Template Picker', category: 'particle_picking', stage: 1,
      inputs: [
        input('micrographs', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params')], 1, 'inf'),
        input('templates', 'template', 'Templates', [s('blob')], 1, 'inf'),
      ],
      outputs: [
        output('micrographs', 'exposure', 'Micrographs', [], 'micrographs', CTF_EXPOSURE),
        output('particles', 'particle', 'Particles', [s('location'), s('pick_stats')], 'micrographs', [s('ctf')]),
      ],
      resources: { cpu: 1, gpu: 1, ram: 1, ssd: false }, runtimeMin: [10, 60], bytesPerItem: 120,
    }),
    def({
      type: 'extract_micrographs_multi', title: 'Extract From Micrographs', category: 'extraction', stage: 1,
      inputs: [
        input('micrographs', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params')], 1, 'inf'),
        input('particles', 'particle', 'Particles', [s('location')], 1, 'inf'),
      ],
      outputs: [
        output('micrographs', 'exposure', 'Micrographs', [], 'micrographs', CTF_EXPOSURE),
        output('particles', 'particle', 'Extracted particles', [s('blob'), s('location')], 'particles', [s('ctf'), s('pick_stats')]),
      ],
      resources: { cpu: 4, gpu: 1, ram: 2, ssd: false }, runtimeMin: [10, 90], bytesPerItem: 130_000,
    }),
    def({
      type: 'particle_sets', title: 'Particle Sets Tool', category: 'utilities', stage: 1,
      inputs: [
        input('particles_A', 'particle', 'Particles (A)', [], 1, 'inf'),
        input('particles_B', 'particle', 'Particles (B)', [], 1, 'inf'),
      ],
      outputs: [
        output('intersect', 'particle', 'A ∩ B', [], 'particles_A', PARTICLE_PT),
        output('A_minus_B', 'particle', 'A − B', [], 'particles_A', PARTICLE_PT),
        output('B_minus_A', 'particle', 'B − A', [], 'particles_B', PARTICLE_PT),
      ],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [1, 5], bytesPerItem: 100,
    }),
    def({
      type: 'class_2D_new', title: '2D Classification', category: 'particle_curation', stage: 1,
      inputs: [input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf')], 1, 'inf')],
      outputs: [
        output('particles', 'particle', 'Particles', [s('alignments2D')], 'particles', PARTICLE_PT),
        output('class_averages', 'template', '2D class averages', [s('blob')]),
      ],
      resources: { cpu: 2, gpu: 1, ram: 3, ssd: true }, runtimeMin: [20, 240], bytesPerItem: 300, bytesFixed: 80_000_000,
    }),
    def({
      type: 'select_2D', title: 'Select 2D Classes', category: 'particle_curation', stage: 1,
      inputs: [
        input('particles', 'particle', 'Particles', [s('blob'), s('alignments2D')]),
        input('templates', 'template', 'Templates', [s('blob')]),
      ],
      outputs: [
        output('particles_selected', 'particle', 'Selected particles', [], 'particles', PARTICLE_2D),
        output('particles_excluded', 'particle', 'Excluded particles', [], 'particles', PARTICLE_2D),
        output('templates_selected', 'template', 'Selected templates', [], 'templates', [s('blob')]),
        output('templates_excluded', 'template', 'Excluded templates', [], 'templates', [s('blob')]),
      ],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [3, 20], interactive: true, bytesPerItem: 100,
    }),
    def({
      type: 'homo_abinit', title: 'Ab-Initio Reconstruction', category: 'reconstruction', stage: 2,
      inputs: [input('particles', 'particle', 'Particle stacks', [s('blob')], 1, 'inf')],
      outputs: [], // per class count, see classOutputs()
      resources: { cpu: 4, gpu: 1, ram: 8, ssd: true }, runtimeMin: [30, 300], bytesPerItem: 200, bytesFixed: 400_000_000,
    }),
    def({
      type: 'homo_refine_new', title: 'Homogeneous Refinement', category: 'refinement', stage: 2,
      inputs: refineInputs, outputs: refineOutputs,
      resources: { cpu: 4, gpu: 1, ram: 3, ssd: true }, runtimeMin: [40, 300], bytesPerItem: 250, bytesFixed: 900_000_000,
    }),
    def({
      type: 'nonuniform_refine_new', title: 'Non-uniform Refinement', category: 'refinement', stage: 2,
      inputs: refineInputs, outputs: refineOutputs,
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 480], bytesPerItem: 250, bytesFixed: 1_100_000_000,
    }),
    def({
      type: 'hetero_refine', title: 'Heterogeneous Refinement', category: 'refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf')], 1, 'inf'),
        input('volume', 'volume', 'Initial volumes', [s('map', 'volume')], 1, 'inf'),
      ],
      outputs: [],
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 600], bytesPerItem: 250, bytesFixed: 700_000_000,
    }),
    def({
      type: 'class_3D', title: '3D Classification', category: 'refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf'), s('alignments3D')], 1, 'inf'),
        input('volume', 'volume', 'Initial volumes', [s('map', 'volume')], 0, 'inf'),
        input('mask', 'mask', 'Solvent mask', [s('mask', 'volume')], 0, 1),
      ],
      outputs: [],
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 480], bytesPerItem: 250, bytesFixed: 900_000_000,
    }),
    def({
      type: 'ctf_refine_global', title: 'Global CTF Refinement', category: 'ctf_refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particles', [s('blob'), s('ctf'), s('alignments3D')], 1, 'inf'),
        input('volume', 'volume', 'Map', [s('map_half_A', 'volume'), s('map_half_B', 'volume')]),
        input('mask', 'mask', 'Mask', [s('mask', 'volume')], 0, 1),
      ],
      outputs: [output('particles', 'particle', 'Particles', [s('ctf')], 'particles', [s('blob'), s('location'), s('alignments3D')])],
      resources: { cpu: 2, gpu: 1, ram: 2, ssd: false }, runtimeMin: [10, 90], bytesPerItem: 80,
    }),
    def({
      type: 'new_local_refine', title: 'Local Refinement', category: 'local_refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particles', [s('blob'), s('ctf'), s('alignments3D')], 1, 'inf'),
        input('volume', 'volume', 'Volume', [s('map', 'volume')]),
        input('mask', 'mask', 'Mask', [s('mask', 'volume')]),
      ],
      outputs: refineOutputs,
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 400], bytesPerItem: 250, bytesFixed: 900_000_000,
    }),
    def({
      type: 'sharpen', title: 'Sharpening Tools', category: 'postprocessing', stage: 2,
      inputs: [input('volume', 'volume', 'Volume', [s('map', 'volume')])],
      outputs: [output('volume', 'volume', 'Sharpened volume', [s('map_sharp', 'volume')], 'volume', CLASS_VOLUME)],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [1, 4], bytesPerItem: 0, bytesFixed: 150_000_000,
    }),
    def({
      type: 'local_resolution', title: 'Local Resolution Estimation', category: 'postprocessing', stage: 2,
      inputs: [
        input('volume', 'volume', 'Volume', [s('map_half_A', 'volume'), s('map_half_B', 'volume')]),
        input('mask', 'mask', 'Mask', [s('mask', 'volume')], 0, 1),
      ],
      outputs: [
        output('volume', 'volume', 'Local resolution', [s('map_locres', 'volume'), s('map_locres_fsc', 'volume')], 'volume', CLASS_VOLUME),
      ],
      resources: { cpu: 2, gpu: 1, ram: 2, ssd: false }, runtimeMin: [5, 40], bytesPerItem: 0, bytesFixed: 250_000_000,
    }),
  ].map((d) => [d.type, d]),
);

export function typeDef(type: string): JobTypeDef {
  const found = DEFS[type];
  if (!found) throw new Error(`unknown synthetic job type ${type}`);
  return found;
}

const classOutputCache = new Map<number, readonly OutputDef[]>();

/** Outputs of multi-class jobs (ab-initio, hetero refinement, 3D classification). */
export function classOutputs(classes: number): readonly OutputDef[] {
  let cached = classOutputCache.get(classes);
  if (!cached) {
    const list: OutputDef[] = [
      output('particles_all_classes', 'particle', 'All particles', [s('alignments3D')], 'particles', PARTICLE_PT),
    ];
    for (let k = 0; k < classes; k++) {
      list.push(output(`particles_class_${k}`, 'particle', `Particles class ${k}`, [s('alignments3D')], 'particles', PARTICLE_PT));
      list.push(output(`volume_class_${k}`, 'volume', `Volume class ${k}`, CLASS_VOLUME));
    }
    cached = list;
    classOutputCache.set(classes, cached);
  }
  return cached;
}

/** Which job types may follow a job of a type, with weights. Types with none end a branch. */
export const NEXT: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  import_movies: [['patch_motion_correction_multi', 1]],
  patch_motion_correction_multi: [['patch_ctf_estimation_multi', 1]],
  patch_ctf_estimation_multi: [['curate_exposures_v2', 4], ['blob_picker_gpu', 3], ['template_picker_gpu', 2]],
  curate_exposures_v2: [['blob_picker_gpu', 4], ['template_picker_gpu', 2]],
  blob_picker_gpu: [['extract_micrographs_multi', 1]],
  template_picker_gpu: [['extract_micrographs_multi', 1]],
  extract_micrographs_multi: [['class_2D_new', 6], ['homo_abinit', 1], ['particle_sets', 1]],
  particle_sets: [['class_2D_new', 2], ['homo_abinit', 1]],
  class_2D_new: [['select_2D', 1]],
  select_2D: [['homo_abinit', 4], ['class_2D_new', 2], ['template_picker_gpu', 2]],
  homo_abinit: [['nonuniform_refine_new', 4], ['homo_refine_new', 2], ['hetero_refine', 3]],
  hetero_refine: [['nonuniform_refine_new', 3], ['homo_refine_new', 1], ['hetero_refine', 1]],
  class_3D: [['nonuniform_refine_new', 2], ['homo_refine_new', 1]],
  homo_refine_new: [['sharpen', 2], ['local_resolution', 1], ['ctf_refine_global', 2], ['hetero_refine', 1], ['nonuniform_refine_new', 1]],
  nonuniform_refine_new: [
    ['sharpen', 2], ['local_resolution', 2], ['ctf_refine_global', 2], ['new_local_refine', 1], ['class_3D', 1], ['hetero_refine', 1],
  ],
  ctf_refine_global: [['nonuniform_refine_new', 3], ['homo_refine_new', 1]],
  new_local_refine: [['local_resolution', 1], ['sharpen', 1]],
  sharpen: [],
  local_resolution: [],
};
