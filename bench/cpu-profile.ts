/**
 * CPU of our own code, separated from the simulators and dynalite that share the bench process.
 *
 * Virtual time needs every participant in one process (the clock moves only when all of them wait),
 * so the handler cannot simply run in a child whose CPU we read. Instead V8's sampling profiler runs
 * during the phase and every sample is attributed by its stack: a stack that passes through the
 * simulators (sandbox/), dynalite and its storage (level, memory-level, ...) or Node's HTTP server is
 * theirs (so is the bench's own DynamoDB meter); every other non-idle sample is the code under test (engine, SDKs, Node's HTTP client). GC
 * and "(program)" samples are split in the same proportion. The process's measured CPU time is then
 * shared out by sample counts, so the profiler's own overhead does not inflate either side.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
}

export interface CpuSplit {
  /** Share of the non-idle samples in the code under test (0..1). */
  oursShare: number;
  samples: { ours: number; simulators: number; unattributed: number };
  /** Our own source files' functions with the most self samples: `file:function` and share of ours. */
  hotSpots: Array<{ where: string; share: number }>;
  /** Packages (and "our source") by self samples within ours. */
  byPackage: Array<{ name: string; share: number }>;
}

const SIMULATOR =
  /\/sandbox\/|\/bench\/(dynamo-meter|cpu-profile)\.ts|node_modules\/(dynalite|level|memory-level|abstract-level|classic-level|lazy|lock|big\.js|buffer-crc32|async|once|module-error|level-[\w-]+|maybe-combine-errors|catering|queue-microtask|functional-red-black-tree)\/|node:_http_server/;
const UNATTRIBUTED = new Set(['(program)', '(garbage collector)']);

const ROOT_URL = new URL('..', import.meta.url).href;

function ownerOfSource(url: string): string {
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node internals';
  if (url.startsWith(ROOT_URL) || url.startsWith('file:///')) return 'our source';
  return url || '(native)';
}

function shortWhere(node: ProfileNode): string {
  const path = node.callFrame.url.startsWith(ROOT_URL)
    ? node.callFrame.url.slice(ROOT_URL.length)
    : node.callFrame.url;
  return `${path}:${node.callFrame.functionName || '(anonymous)'}`;
}

export function splitProfile(profile: Profile, top = 8): CpuSplit {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerCache = new Map<number, 'ours' | 'simulators' | 'unattributed' | 'idle'>();
  const ownerOf = (id: number): 'ours' | 'simulators' | 'unattributed' | 'idle' => {
    const cached = ownerCache.get(id);
    if (cached) return cached;
    const leaf = byId.get(id);
    let owner: 'ours' | 'simulators' | 'unattributed' | 'idle';
    if (!leaf || leaf.callFrame.functionName === '(idle)') owner = 'idle';
    else if (UNATTRIBUTED.has(leaf.callFrame.functionName)) owner = 'unattributed';
    else {
      owner = 'ours';
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        if (SIMULATOR.test(byId.get(at)?.callFrame.url ?? '')) {
          owner = 'simulators';
          break;
        }
      }
    }
    ownerCache.set(id, owner);
    return owner;
  };
  const samples = { ours: 0, simulators: 0, unattributed: 0 };
  const selfOurs = new Map<number, number>();
  for (const id of profile.samples ?? []) {
    const owner = ownerOf(id);
    if (owner === 'idle') continue;
    samples[owner] += 1;
    if (owner === 'ours') selfOurs.set(id, (selfOurs.get(id) ?? 0) + 1);
  }
  const attributed = samples.ours + samples.simulators;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, count] of selfOurs) {
    const node = byId.get(id) as ProfileNode;
    const pkg = ownerOfSource(node.callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + count);
    if (pkg === 'our source') functions.set(shortWhere(node), (functions.get(shortWhere(node)) ?? 0) + count);
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, share: count / Math.max(1, samples.ours) }));
  return {
    oursShare: attributed > 0 ? samples.ours / attributed : 0,
    samples,
    hotSpots: ranked(functions).map(({ name, share }) => ({ where: name, share })),
    byPackage: ranked(packages),
  };
}

/** Runs `fn` under the sampling profiler (1 ms) and splits its samples. */
export async function profiled<T>(fn: () => Promise<T>): Promise<{ result: T; split: CpuSplit }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1_000 });
    await session.post('Profiler.start');
    let result: T;
    let profile: Profile;
    try {
      result = await fn();
    } finally {
      // Stopped in `finally` so a failing phase does not leave the profiler running.
      profile = ((await session.post('Profiler.stop')) as { profile: Profile }).profile;
    }
    return { result, split: splitProfile(profile) };
  } finally {
    session.disconnect();
  }
}
