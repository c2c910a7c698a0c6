/**
 * Planning one job of the synthetic generator: which job may continue from
 * which (imports, successors, multi-class jobs, clones), with what
 * parameters and inputs, and which of its outputs later jobs may pull in.
 */
import { classOutputs, type InputDef, type JobTypeDef, typeDef } from './job-types.js';
import { type Dataset, type Draft, itemsOf, type Lineage, type Plan, type ProjectContext, type Ref, ref } from './plan-model.js';
import type { Rng } from './random.js';

function paramsFor(ctx: ProjectContext, type: string, gpus: number): Record<string, unknown> {
  const { rng, sample } = ctx;
  switch (type) {
    case 'import_movies':
      return {
        blob_paths: `/data/raw/${ctx.sampleKey}/grid${rng.int(1, 9)}/Images-Disc1/*/Data/*_fractions.tiff`,
        gainref_path: `/data/raw/${ctx.sampleKey}/gain/CountRef.mrc`,
        psize_A: sample.psizeA,
        accel_kv: 300,
        cs_mm: 2.7,
        total_dose_e_per_A2: rng.pick([40, 50, 55, 60]),
        phase_plate_data: false,
      };
    case 'patch_motion_correction_multi':
      return { res_max_align: 5, bfactor: 500, frame_start: 0, output_fcrop_factor: rng.pick([1, 0.5]), compute_num_gpus: gpus };
    case 'patch_ctf_estimation_multi':
      return { amp_contrast: 0.1, res_min_align: 25, res_max_align: 4, df_search_min: 1000, df_search_max: 40000, compute_num_gpus: gpus };
    case 'curate_exposures_v2':
      return { ctf_fit_to_A_max: rng.pick([4, 5, 6]), astigmatism_max: 1000, total_motion_max: rng.pick([30, 50, 80]) };
    case 'blob_picker_gpu':
      return { diameter: Math.round(sample.diameterA * 0.8), diameter_max: Math.round(sample.diameterA * 1.2), use_circle: true, lowpass_res: 20 };
    case 'template_picker_gpu':
      return { diameter: sample.diameterA, min_distance: 0.5, lowpass_res: 20, angular_sampling: 5 };
    case 'extract_micrographs_multi': {
      const box = sample.boxPix;
      return { box_size_pix: box, bin_size_pix: rng.chance(0.4) ? Math.round(box / 2 / 8) * 8 : null, output_f16: true, compute_num_gpus: gpus };
    }
    case 'particle_sets':
      return { action: 'intersect', field: 'uid' };
    case 'class_2D_new':
      return { class2D_K: rng.pick([50, 100, 150, 200]), class2D_max_res: 6, class2D_window_inner_A: sample.diameterA, class2D_num_full_iter_batch: 40, compute_use_ssd: true };
    case 'select_2D':
      return { class_sort: rng.pick(['num_particles', 'resolution', 'ecaI']) };
    case 'homo_abinit':
      return { abinit_K: 1, abinit_max_res: rng.pick([12, 9, 6]), abinit_symmetry: rng.chance(0.7) ? 'C1' : sample.symmetry, compute_use_ssd: true };
    case 'homo_refine_new':
      return { refine_symmetry: sample.symmetry, refine_num_final_iter: 0, refine_minimize_over_per_particle_scale: rng.chance(0.5), refine_ctf_global_refine: rng.chance(0.3), compute_use_ssd: true };
    case 'nonuniform_refine_new':
      return { refine_symmetry: sample.symmetry, refine_defocus_refine: rng.chance(0.5), refine_ctf_global_refine: rng.chance(0.5), refine_minimize_over_per_particle_scale: true, compute_use_ssd: true };
    case 'hetero_refine':
      return { multirefine_K: 2, multirefine_res_init: rng.pick([6, 8, 10]), multirefine_symmetry: 'C1', multirefine_force_hard_class: rng.chance(0.3) };
    case 'class_3D':
      return { class3D_N_K: 4, class3D_filter_res: rng.pick([6, 8]), class3D_init_mode: 'simple' };
    case 'ctf_refine_global':
      return { crg_fit_tetra: rng.chance(0.5), crg_fit_aniso_mag: rng.chance(0.3), crg_min_res_A: 10 };
    case 'new_local_refine':
      return { use_alignment_prior: true, sigma_prior_r: rng.pick([3, 5, 7]), sigma_prior_shift: rng.pick([2, 3]), refine_symmetry: 'C1' };
    case 'sharpen':
      return { sharp_bfactor: -rng.int(4, 16) * 10, sharp_do_global_filter: true };
    case 'local_resolution':
      return { locres_fsc_thresh: 0.143, locres_use_mask: true };
    default:
      return {};
  }
}

function newDataset(ctx: ProjectContext): Dataset {
  const ds: Dataset = { id: ctx.datasets.length, templates: [], particleSources: [], volumeSources: [] };
  ctx.datasets.push(ds);
  return ds;
}

const NO_REFS: readonly Ref[] = Object.freeze([]);
const EMPTY_LINEAGE_REFS = { mics: null, particles: null, volume: null, mask: null, templates: null, classVolumes: NO_REFS, classParticles: NO_REFS };

function classCount(rng: Rng): number {
  return rng.weighted([
    [1, 3],
    [2, 4],
    [3, 3],
    [4, 1],
  ]);
}

/** Splits `total` into `k` positive-ish shares. */
function splitItems(rng: Rng, total: number, k: number): number[] {
  const weights = Array.from({ length: k }, () => rng.range(0.3, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.max(1, Math.round((total * w) / sum)));
}

function multiClassDraft(
  ctx: ProjectContext,
  a: Plan,
  type: 'homo_abinit' | 'hetero_refine' | 'class_3D',
  particles: Ref,
  volumes: readonly Ref[],
  mask: Ref | null,
): Draft {
  const { rng } = ctx;
  const d = typeDef(type);
  const classes = type === 'homo_abinit' ? classCount(rng) : type === 'hetero_refine' ? volumes.length : rng.int(3, 6);
  const params = paramsFor(ctx, type, 1);
  if (type === 'homo_abinit') params.abinit_K = classes;
  if (type === 'hetero_refine') params.multirefine_K = classes;
  if (type === 'class_3D') params.class3D_N_K = classes;
  const outputs = classOutputs(classes);
  const total = itemsOf(particles);
  const shares = splitItems(rng, total, classes);
  const items: Record<string, number> = { particles_all_classes: total };
  shares.forEach((n, k) => {
    items[`particles_class_${k}`] = n;
    items[`volume_class_${k}`] = 1;
  });
  const [volumeInput, particleInput, maskInput] = [
    d.inputs.find((i) => i.name === 'volume'),
    d.inputs.find((i) => i.name === 'particles'),
    d.inputs.find((i) => i.name === 'mask'),
  ];
  const inputs: (readonly [InputDef, readonly Ref[]])[] = [];
  if (particleInput) inputs.push([particleInput, [particles]]);
  if (volumeInput) inputs.push([volumeInput, volumes]);
  if (maskInput) inputs.push([maskInput, mask ? [mask] : []]);
  let best = 0;
  shares.forEach((n, k) => {
    if (n > (shares[best] ?? 0)) best = k;
  });
  return {
    def: d,
    outputs,
    params,
    inputs,
    items,
    lineage: (self) => {
      const classVolumes = shares.map((_, k) => ref(self, `volume_class_${k}`));
      const classParticles = shares.map((_, k) => ref(self, `particles_class_${k}`));
      return {
        ds: a.lin.ds,
        mics: a.lin.mics,
        particles: classParticles[best] ?? null,
        volume: classVolumes[best] ?? null,
        mask: a.lin.mask,
        templates: a.lin.templates,
        classVolumes,
        classParticles,
      };
    },
  };
}

/** Picks the particle/volume pair a refinement continues from. */
function refinementSources(ctx: ProjectContext, a: Plan): { particles: Ref; volume: Ref } | null {
  const { rng } = ctx;
  const lin = a.lin;
  if (lin.classVolumes.length > 0) {
    const k = rng.int(0, lin.classVolumes.length - 1);
    const volume = lin.classVolumes[k];
    let particles = lin.classParticles[k] ?? null;
    // Often the full stack is refined against one class volume: a diamond over the stack's producer.
    if (rng.chance(0.35) && lin.ds.particleSources.length > 0) particles = rng.pick(recent(lin.ds.particleSources, 6));
    return volume && particles ? { particles, volume } : null;
  }
  return lin.particles && lin.volume ? { particles: lin.particles, volume: lin.volume } : null;
}

export function recent<T>(items: readonly T[], n: number): readonly T[] {
  return items.length <= n ? items : items.slice(items.length - n);
}

function inputsOf(d: JobTypeDef, refs: Record<string, readonly Ref[]>): (readonly [InputDef, readonly Ref[]])[] {
  return d.inputs.map((i) => [i, refs[i.name] ?? []] as const);
}

/** A job of `type` continuing from `a`, or null when `a`'s lineage cannot feed it. */
export function draftSuccessor(ctx: ProjectContext, type: string, a: Plan): Draft | null {
  const { rng } = ctx;
  const d = typeDef(type);
  const lin = a.lin;
  const simple = (
    refs: Record<string, readonly Ref[]>,
    items: Record<string, number>,
    lineage: (self: Plan) => Partial<Lineage>,
    gpus = d.resources.gpu,
  ): Draft => ({
    def: d,
    outputs: d.outputs,
    params: paramsFor(ctx, type, gpus),
    inputs: inputsOf(d, refs),
    items,
    lineage: (self) => {
      const next = lineage(self);
      return {
        ds: lin.ds,
        mics: next.mics !== undefined ? next.mics : lin.mics,
        particles: next.particles !== undefined ? next.particles : lin.particles,
        volume: next.volume !== undefined ? next.volume : lin.volume,
        mask: next.mask !== undefined ? next.mask : lin.mask,
        templates: next.templates !== undefined ? next.templates : lin.templates,
        classVolumes: NO_REFS,
        classParticles: NO_REFS,
      };
    },
  });

  switch (type) {
    case 'patch_motion_correction_multi': {
      const n = a.items.imported_movies ?? 0;
      const incomplete = rng.chance(0.3) ? rng.int(1, Math.max(1, Math.round(n * 0.01))) : 0;
      return simple(
        { movies: [ref(a, 'imported_movies')] },
        { micrographs: n - incomplete, micrographs_incomplete: incomplete },
        (self) => ({ mics: ref(self, 'micrographs') }),
        rng.int(1, 4),
      );
    }
    case 'patch_ctf_estimation_multi': {
      const mics = lin.mics;
      if (!mics) return null;
      return simple({ exposures: [mics] }, { exposures: itemsOf(mics) }, (self) => ({ mics: ref(self, 'exposures') }), rng.int(1, 4));
    }
    case 'curate_exposures_v2': {
      const mics = lin.mics;
      if (!mics) return null;
      const n = itemsOf(mics);
      const accepted = Math.round(n * rng.range(0.7, 0.97));
      return simple(
        { exposures: [mics] },
        { exposures_accepted: accepted, exposures_rejected: n - accepted },
        (self) => ({ mics: ref(self, 'exposures_accepted') }),
      );
    }
    case 'blob_picker_gpu':
    case 'template_picker_gpu': {
      const mics = lin.mics;
      if (!mics) return null;
      let templates: Ref | null = null;
      if (type === 'template_picker_gpu') {
        // Templates from a 2D selection, micrographs from the CTF/curation job: a diamond.
        templates = lin.templates ?? (lin.ds.templates.length > 0 ? rng.pick(recent(lin.ds.templates, 4)) : null);
        if (!templates) return null;
      }
      const n = itemsOf(mics);
      const [lo, hi] = ctx.sample.particlesPerMic;
      const picks = Math.round(n * rng.range(lo, hi) * (type === 'template_picker_gpu' ? 0.8 : 1.3));
      return simple(
        templates ? { micrographs: [mics], templates: [templates] } : { micrographs: [mics] },
        { micrographs: n, particles: picks },
        (self) => ({ mics: ref(self, 'micrographs'), particles: ref(self, 'particles') }),
      );
    }
    case 'extract_micrographs_multi': {
      if (!lin.particles || !lin.mics) return null;
      const particles = Math.round(itemsOf(lin.particles) * rng.range(0.85, 0.98));
      return simple(
        { micrographs: [lin.mics], particles: [lin.particles] },
        { micrographs: itemsOf(lin.mics), particles },
        (self) => ({ particles: ref(self, 'particles'), mics: ref(self, 'micrographs') }),
        rng.int(1, 2),
      );
    }
    case 'particle_sets': {
      const particlesA = lin.particles;
      if (!particlesA) return null;
      const others = lin.ds.particleSources.filter((r) => r.plan !== particlesA.plan);
      if (others.length === 0) return null;
      const particlesB = rng.pick(recent(others, 6));
      const nA = itemsOf(particlesA);
      const nB = itemsOf(particlesB);
      const both = Math.round(Math.min(nA, nB) * rng.range(0.4, 0.8));
      return simple(
        { particles_A: [particlesA], particles_B: [particlesB] },
        { intersect: both, A_minus_B: nA - both, B_minus_A: Math.max(0, nB - both) },
        (self) => ({ particles: ref(self, 'intersect') }),
      );
    }
    case 'class_2D_new': {
      if (!lin.particles) return null;
      const draft = simple(
        { particles: [lin.particles] },
        { particles: itemsOf(lin.particles), class_averages: 0 },
        (self) => ({ particles: ref(self, 'particles'), templates: ref(self, 'class_averages') }),
      );
      draft.items.class_averages = Number(draft.params.class2D_K);
      return draft;
    }
    case 'select_2D': {
      if (!lin.particles || !lin.templates) return null;
      const n = itemsOf(lin.particles);
      const t = itemsOf(lin.templates);
      const selected = Math.round(n * rng.range(0.25, 0.75));
      const templatesSelected = Math.max(1, Math.round(t * rng.range(0.1, 0.5)));
      return simple(
        { particles: [lin.particles], templates: [lin.templates] },
        {
          particles_selected: selected,
          particles_excluded: n - selected,
          templates_selected: templatesSelected,
          templates_excluded: Math.max(0, t - templatesSelected),
        },
        (self) => ({ particles: ref(self, 'particles_selected'), templates: ref(self, 'templates_selected') }),
      );
    }
    case 'homo_abinit': {
      if (!lin.particles) return null;
      return multiClassDraft(ctx, a, 'homo_abinit', lin.particles, [], null);
    }
    case 'hetero_refine': {
      const particles = lin.classParticles.length > 0 ? rng.pick(lin.classParticles) : lin.particles;
      if (!particles) return null;
      // Volumes from this job and from other jobs of the dataset (decoys, older maps): multi-parent.
      const volumes: Ref[] = lin.classVolumes.length > 0 ? [...lin.classVolumes] : lin.volume ? [lin.volume] : [];
      const extra = recent(lin.ds.volumeSources, 8).filter((v) => !volumes.some((x) => x.plan === v.plan && x.output === v.output));
      const wanted = rng.int(1, 2);
      for (let i = 0; i < wanted && extra.length > 0; i++) {
        const j = rng.int(0, extra.length - 1);
        volumes.push(...extra.splice(j, 1));
      }
      if (volumes.length < 2) return null;
      return multiClassDraft(ctx, a, 'hetero_refine', particles, volumes.slice(0, 5), null);
    }
    case 'class_3D': {
      if (!lin.particles) return null;
      return multiClassDraft(ctx, a, 'class_3D', lin.particles, lin.volume ? [lin.volume] : [], lin.mask);
    }
    case 'homo_refine_new':
    case 'nonuniform_refine_new': {
      const src = refinementSources(ctx, a);
      if (!src) return null;
      const mask = lin.mask && rng.chance(0.4) ? lin.mask : null;
      return simple(
        { particles: [src.particles], volume: [src.volume], mask: mask ? [mask] : [] },
        { particles: itemsOf(src.particles), volume: 1, mask: 1 },
        (self) => ({ particles: ref(self, 'particles'), volume: ref(self, 'volume'), mask: ref(self, 'mask') }),
      );
    }
    case 'new_local_refine': {
      if (!lin.particles || !lin.volume || !lin.mask) return null;
      return simple(
        { particles: [lin.particles], volume: [lin.volume], mask: [lin.mask] },
        { particles: itemsOf(lin.particles), volume: 1, mask: 1 },
        (self) => ({ particles: ref(self, 'particles'), volume: ref(self, 'volume'), mask: ref(self, 'mask') }),
      );
    }
    case 'ctf_refine_global': {
      if (!lin.particles || !lin.volume) return null;
      return simple(
        { particles: [lin.particles], volume: [lin.volume], mask: lin.mask ? [lin.mask] : [] },
        { particles: itemsOf(lin.particles) },
        (self) => ({ particles: ref(self, 'particles') }),
      );
    }
    case 'sharpen':
    case 'local_resolution': {
      if (!lin.volume) return null;
      const refs: Record<string, readonly Ref[]> = { volume: [lin.volume] };
      if (type === 'local_resolution') refs.mask = lin.mask ? [lin.mask] : [];
      return simple(refs, { volume: 1 }, (self) => ({ volume: ref(self, 'volume') }));
    }
    default:
      return null;
  }
}

export function draftImport(ctx: ProjectContext): Draft {
  const d = typeDef('import_movies');
  const ds = newDataset(ctx);
  return {
    def: d,
    outputs: d.outputs,
    params: paramsFor(ctx, 'import_movies', 0),
    inputs: [],
    items: { imported_movies: ctx.rng.int(400, 9000) },
    lineage: (self) => ({ ds, ...EMPTY_LINEAGE_REFS, mics: ref(self, 'imported_movies') }),
  };
}

/** A rerun of `orig`: same type and connections, params copied (a value or two changed). */
export function draftClone(ctx: ProjectContext, orig: Plan): Draft {
  const params = { ...orig.params };
  if (typeof params.class2D_K === 'number') params.class2D_K = ctx.rng.pick([50, 100, 150, 200]);
  if (typeof params.compute_num_gpus === 'number') params.compute_num_gpus = ctx.rng.int(1, 4);
  if (typeof params.sharp_bfactor === 'number') params.sharp_bfactor = -ctx.rng.int(4, 16) * 10;
  const items = { ...orig.items };
  if (typeof params.class2D_K === 'number') items.class_averages = params.class2D_K;
  return {
    def: orig.def,
    outputs: orig.outputs,
    params,
    inputs: orig.inputs,
    items,
    lineage: (self) => relink(orig.lin, orig, self),
  };
}

function relink(lin: Lineage, from: Plan, to: Plan): Lineage {
  const swap = (r: Ref | null): Ref | null => (r && r.plan === from ? ref(to, r.output) : r);
  return {
    ds: lin.ds,
    mics: swap(lin.mics),
    particles: swap(lin.particles),
    volume: swap(lin.volume),
    mask: swap(lin.mask),
    templates: swap(lin.templates),
    classVolumes: lin.classVolumes.map((r) => swap(r) as Ref),
    classParticles: lin.classParticles.map((r) => swap(r) as Ref),
  };
}

/** Records a completed job's outputs as sources later jobs of its dataset may pull in. */
export function registerSources(plan: Plan): void {
  const ds = plan.lin.ds;
  switch (plan.def.type) {
    case 'extract_micrographs_multi':
      ds.particleSources.push(ref(plan, 'particles'));
      break;
    case 'select_2D':
      ds.particleSources.push(ref(plan, 'particles_selected'));
      ds.templates.push(ref(plan, 'templates_selected'));
      break;
    case 'homo_abinit':
    case 'hetero_refine':
    case 'class_3D':
      ds.volumeSources.push(...plan.lin.classVolumes);
      break;
    case 'homo_refine_new':
    case 'nonuniform_refine_new':
    case 'new_local_refine':
      ds.volumeSources.push(ref(plan, 'volume'));
      break;
    default:
      break;
  }
}
