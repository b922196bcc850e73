/**
 * `npm run bench [-- --quick] [-- --json] [-- --serial]`: our engines (the real Lambda handlers,
 * through the real SDKs over HTTP) against a naive baseline (bench/naive/), both against the
 * simulators with their real limits on a scaled clock, in one run; one table (or JSON) on stdout,
 * progress on stderr. See bench/README.md for the method.
 *
 * The two sides run in two child processes at the same time (2 cores); `--serial` runs them one
 * after the other in this process.
 */
import '../shared/runtime/local-node';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUNDLE_BUDGET_BYTES, bundleSizes, type BundleSize } from './bundle';
import { HUBSPOT_TEN_SECOND_LIMIT, progress } from './harness';
import { LATENCY_MS } from './plan';
import type { RunOutcome } from './scenarios';
import { runSide, type SideResult } from './worker';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const workerSide = args.includes('--worker') ? args[args.indexOf('--worker') + 1] : undefined;

const LIMITS = {
  tripleseatPerSecond: 10,
  hubspotPerSecond: HUBSPOT_TEN_SECOND_LIMIT / 10,
  searchPerSecond: 5,
  webexCostPerSecond: 500,
};

/** The binding limit for draining `n` flagged contacts with the best batching the APIs allow. */
function pollerFloor(n: number) {
  const candidates = {
    'Tripleseat 10/s (1 lead each)': n / LIMITS.tripleseatPerSecond,
    'HubSpot burst (batch read 50 + batch update 100)':
      (Math.ceil(n / 50) + Math.ceil(n / 100) + 1) / LIMITS.hubspotPerSecond,
    'HubSpot search 5/s (200 a page)': Math.ceil(n / 200) / LIMITS.searchPerSecond,
  };
  return bindingOf(candidates);
}

/** Same for a first sync of `n` attendees over 2 events (100 a page, cost 101 each; upsert 100 a call). */
function webexFloor(n: number) {
  const pages = 2 * Math.ceil(n / 2 / 100);
  const candidates = {
    'Webex cost 500/s (101 per 100-attendee page)': (pages * 101) / LIMITS.webexCostPerSecond,
    'HubSpot burst (batch upsert 100)': (Math.ceil(n / 100) + 1) / LIMITS.hubspotPerSecond,
  };
  return bindingOf(candidates);
}

function bindingOf(candidates: Record<string, number>) {
  const [limit, seconds] = Object.entries(candidates).sort((a, b) => b[1] - a[1])[0] as [string, number];
  return { limit, seconds, candidates };
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return `${sha}${dirty ? '+dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

function runWorker(side: 'ours' | 'naive'): Promise<SideResult> {
  const script = fileURLToPath(import.meta.url);
  const execArgv = process.execArgv.length > 0 ? process.execArgv : ['--import', 'tsx'];
  const child = spawn(
    process.execPath,
    [...execArgv, script, '--worker', side, ...(quick ? ['--quick'] : [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.startsWith('[bench')) process.stderr.write(`${line}\n`);
    }
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${side} worker exited with ${code}`));
      try {
        resolve(JSON.parse(out) as SideResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Table

const fmt = (n: number, digits = 2) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
const ratio = (naive: number, ours: number) =>
  ours > 0 ? `${fmt(naive / ours, 1)}x` : naive > 0 ? 'inf' : '-';
const perRecord = (value: number, o: RunOutcome) => value / Math.max(1, o.processed);

/**
 * On-demand list prices, us-east-1, as published on https://aws.amazon.com/lambda/pricing/ and
 * https://aws.amazon.com/dynamodb/pricing/on-demand/ (figures used as of 2025; free tier, logs,
 * X-Ray, Secrets Manager and data transfer left out). Lambda memory as lib/sync-function.ts's default.
 */
const PRICES = {
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  dynamoPerReadUnit: 0.125 / 1_000_000,
  dynamoPerWriteUnit: 0.625 / 1_000_000,
};
const LAMBDA_MEMORY_GB = 0.5;
const PRICE_NOTE =
  'Lambda $0.0000133334/GB-s + $0.20/M requests, DynamoDB $0.125/M RRU + $0.625/M WRU, 2025 list prices';

/** API calls, DynamoDB units, Lambda GB-s and dollars of one scenario, scaled to `per` records. */
function costOf(o: RunOutcome, per: number) {
  const scale = per / Math.max(1, o.processed);
  const apiCalls = (o.m.hubspot + o.m.tripleseat + o.m.webex) * scale;
  const rru = o.m.dynamo.readUnits * scale;
  const wru = o.m.dynamo.writeUnits * scale;
  const gbS = (o.m.simMs / 1000) * LAMBDA_MEMORY_GB * scale;
  const invocations = o.ticks * scale;
  const lambdaDollars = gbS * PRICES.lambdaPerGbSecond + invocations * PRICES.lambdaPerRequest;
  const dynamoDollars = rru * PRICES.dynamoPerReadUnit + wru * PRICES.dynamoPerWriteUnit;
  return {
    apiCalls,
    rru,
    wru,
    gbS,
    invocations,
    lambdaDollars,
    dynamoDollars,
    dollars: lambdaDollars + dynamoDollars,
  };
}

interface Row {
  metric: string;
  ours: string;
  naive: string;
  ratio: string;
  note?: string;
}

function buildRows(ours: SideResult, naive: SideResult, bundles: BundleSize[]) {
  const rows: Array<Row | string> = [];
  const oc = ours.pollerCalls;
  const nc = naive.pollerCalls;
  rows.push(
    `Poller: calls per flagged contact (ours ${fmt(oc.records, 0)}, naive ${fmt(nc.records, 0)} contacts)`,
  );
  const hsO = perRecord(oc.m.hubspot, oc);
  const hsN = perRecord(nc.m.hubspot, nc);
  const tsO = perRecord(oc.m.tripleseat, oc);
  const tsN = perRecord(nc.m.tripleseat, nc);
  rows.push({
    metric: 'HubSpot requests / contact',
    ours: fmt(hsO, 3),
    naive: fmt(hsN, 3),
    ratio: ratio(hsN, hsO),
    note: `of which search: ${fmt(oc.m.hubspotSearch, 0)} vs ${fmt(nc.m.hubspotSearch, 0)}`,
  });
  rows.push({
    metric: 'Tripleseat requests / contact',
    ours: fmt(tsO, 3),
    naive: fmt(tsN, 3),
    ratio: ratio(tsN, tsO),
  });
  rows.push({
    metric: 'All requests / contact',
    ours: fmt(hsO + tsO, 3),
    naive: fmt(hsN + tsN, 3),
    ratio: ratio(hsN + tsN, hsO + tsO),
  });
  rows.push({
    metric: 'Leads created (distinct emails) / ticks',
    ours: `${oc.leads} (${oc.distinctLeads}) / ${oc.ticks}`,
    naive: `${nc.leads} (${nc.distinctLeads}) / ${nc.ticks}`,
    ratio: '',
    note: 'leads above distinct = duplicates (a run killed between lead create and flag reset)',
  });

  const phaseNames = {
    first: 'first sync',
    unchanged: 're-sync, nothing changed',
    changed10: 're-sync, 10 % changed',
  };
  rows.push(
    `Webex -> HubSpot: requests per attendee (ours ${fmt(ours.webex[0]?.outcome.records ?? 0, 0)}, naive ${fmt(naive.webex[0]?.outcome.records ?? 0, 0)} attendees, 2 events)`,
  );
  for (const [index, phase] of ours.webex.entries()) {
    const o = phase.outcome;
    const n = naive.webex[index]?.outcome;
    if (!n) continue;
    const hO = perRecord(o.m.hubspot, o);
    const hN = perRecord(n.m.hubspot, n);
    rows.push({
      metric: `HubSpot / attendee, ${phaseNames[phase.name]}`,
      ours: `${fmt(hO, 4)} (${o.m.hubspot})`,
      naive: `${fmt(hN, 4)} (${n.m.hubspot})`,
      ratio: ratio(hN, hO),
      note: `Webex pages: ${o.m.webex} vs ${n.m.webex}`,
    });
  }

  rows.push('Simulated time to drain (ticks back to back) vs the floor set by the binding limit');
  const od = ours.drain;
  const nd = naive.drain;
  const pf = pollerFloor(od.records);
  const oursDrainS = od.m.simMs / 1000;
  const naiveLeadsPerS = (nd.distinctLeads ?? 0) / (nd.m.simMs / 1000);
  const naiveDrainS = nd.finished ? nd.m.simMs / 1000 : nd.records / naiveLeadsPerS;
  rows.push({
    metric: `${fmt(od.records, 0)} flagged contacts: simulated s`,
    ours: `${fmt(oursDrainS, 0)}${od.finished ? '' : ' (unfinished)'}`,
    naive: `${fmt(naiveDrainS, 0)}${nd.finished ? '' : ' (projected)'}`,
    ratio: ratio(naiveDrainS, oursDrainS),
    note: nd.finished
      ? ''
      : `naive: ${nd.ticks} ticks measured, ${nd.distinctLeads} leads in ${fmt(nd.m.simMs / 1000, 0)} s, projected at that rate`,
  });
  rows.push({
    metric: `  floor: ${pf.limit}`,
    ours: `${fmt(pf.seconds, 0)} s`,
    naive: `${fmt(pf.seconds, 0)} s`,
    ratio: '',
  });
  rows.push({
    metric: '  x floor',
    ours: `${fmt(oursDrainS / pf.seconds, 2)}x`,
    naive: `${fmt(naiveDrainS / pf.seconds, 2)}x`,
    ratio: '',
    note: `ticks: ${od.ticks} vs ${nd.ticks}${nd.finished ? '' : '+'}; real s ${fmt(od.m.realMs / 1000, 0)} vs ${fmt(nd.m.realMs / 1000, 0)}`,
  });
  const ow = ours.webexDrain;
  const nw = naive.webexDrain;
  const wf = webexFloor(ow.records);
  const oursWebexS = ow.m.simMs / 1000;
  const naiveWebexS = (nw.m.simMs / 1000) * (ow.records / nw.records);
  rows.push({
    metric: `${fmt(ow.records, 0)} attendees (first sync): simulated s`,
    ours: fmt(oursWebexS, 1),
    naive: `${fmt(naiveWebexS, 0)}${nw.records === ow.records ? '' : ' (projected)'}`,
    ratio: ratio(naiveWebexS, oursWebexS),
    note:
      nw.records === ow.records
        ? ''
        : `naive measured on ${fmt(nw.records, 0)} attendees (${fmt(nw.m.simMs / 1000, 0)} s), scaled linearly`,
  });
  rows.push({
    metric: `  floor: ${wf.limit}`,
    ours: `${fmt(wf.seconds, 1)} s`,
    naive: `${fmt(wf.seconds, 1)} s`,
    ratio: '',
  });
  rows.push({
    metric: '  x floor',
    ours: `${fmt(oursWebexS / wf.seconds, 2)}x`,
    naive: `${fmt(naiveWebexS / wf.seconds, 1)}x`,
    ratio: '',
    note:
      naiveWebexS > 840
        ? 'naive pass > 840 s Lambda timeout: with no checkpoint it never completes as a Lambda'
        : '',
  });

  rows.push(
    '429s received / retries / CPU ms per record handled (CPU of the code under test: engine + SDKs, simulators and dynalite excluded by profile)',
  );
  const scenarios: Array<[string, RunOutcome, RunOutcome]> = [
    ['poller, 1k contacts', oc, nc],
    ['poller drain', od, nd],
    ...ours.webex.map(
      (phase, index) =>
        [`Webex ${phaseNames[phase.name]}`, phase.outcome, naive.webex[index]?.outcome as RunOutcome] as [
          string,
          RunOutcome,
          RunOutcome,
        ],
    ),
    ['Webex drain', ow, nw],
  ];
  for (const [name, o, n] of scenarios) {
    const r429 = (x: RunOutcome) => x.m.http429.hubspot + x.m.http429.tripleseat + x.m.http429.webex;
    rows.push({
      metric: `${name}: 429s / retries`,
      ours: `${r429(o)} / ${o.retries}`,
      naive: `${r429(n)} / ${n.retries}`,
      ratio: '',
      note: `429 by API (HubSpot/Tripleseat/Webex): ${o.m.http429.hubspot}/${o.m.http429.tripleseat}/${o.m.http429.webex} vs ${n.m.http429.hubspot}/${n.m.http429.tripleseat}/${n.m.http429.webex}`,
    });
    rows.push({
      metric: `${name}: CPU ms / record`,
      ours: fmt(perRecord(o.m.oursCpuMs, o), 3),
      naive: fmt(perRecord(n.m.oursCpuMs, n), 3),
      ratio: ratio(perRecord(n.m.oursCpuMs, n), perRecord(o.m.oursCpuMs, o)),
      note:
        `code under test only (${fmt(100 * o.m.cpu.oursShare, 0)}% vs ${fmt(100 * n.m.cpu.oursShare, 0)}% of the process); ` +
        `whole process ${fmt(perRecord(o.m.cpuMs, o), 2)} vs ${fmt(perRecord(n.m.cpuMs, n), 2)}`,
    });
  }

  rows.push('Where our CPU goes (profiler self samples of the code under test, ours side)');
  for (const [name, o] of [
    ['poller drain', od],
    ['Webex drain', ow],
  ] as Array<[string, RunOutcome]>) {
    rows.push({
      metric: `${name}: by package`,
      ours: '',
      naive: '',
      ratio: '',
      note: o.m.cpu.byPackage.map((p) => `${p.name} ${fmt(100 * p.share, 0)}%`).join(', '),
    });
    for (const spot of o.m.cpu.hotSpots.slice(0, 5))
      rows.push({ metric: `  ${spot.where}`, ours: `${fmt(100 * spot.share, 1)}%`, naive: '', ratio: '' });
  }

  rows.push(`Cost at on-demand list prices (us-east-1, arm64 ${LAMBDA_MEMORY_GB * 1024} MB; ${PRICE_NOTE})`);
  const costRows = (label: string, per: number, o: RunOutcome, n: RunOutcome) => {
    const co = costOf(o, per);
    const cn = costOf(n, per);
    rows.push({
      metric: `${label}: API calls`,
      ours: fmt(co.apiCalls, 0),
      naive: fmt(cn.apiCalls, 0),
      ratio: ratio(cn.apiCalls, co.apiCalls),
      note: 'HubSpot + Tripleseat + Webex requests, 429s included',
    });
    rows.push({
      metric: `${label}: DynamoDB RRU / WRU`,
      ours: `${fmt(co.rru, 0)} / ${fmt(co.wru, 0)}`,
      naive: `${fmt(cn.rru, 0)} / ${fmt(cn.wru, 0)}`,
      ratio: '',
      note: 'counted at dynalite; 1 RRU per GetItem/4 KB queried, 1 WRU per item written (upper bounds)',
    });
    rows.push({
      metric: `${label}: Lambda GB-s / invocations`,
      ours: `${fmt(co.gbS, 0)} / ${fmt(co.invocations, 1)}`,
      naive: `${fmt(cn.gbS, 0)} / ${fmt(cn.invocations, 1)}`,
      ratio: ratio(cn.gbS, co.gbS),
      note: 'billed duration = simulated time of the ticks (waiting on APIs and pacing is billed too)',
    });
    rows.push({
      metric: `${label}: USD (Lambda + DynamoDB)`,
      ours: `$${co.dollars.toFixed(4)}`,
      naive: `$${cn.dollars.toFixed(4)}`,
      ratio: ratio(cn.dollars, co.dollars),
      note: `Lambda $${co.lambdaDollars.toFixed(4)} + DynamoDB $${co.dynamoDollars.toFixed(4)} vs $${cn.lambdaDollars.toFixed(4)} + $${cn.dynamoDollars.toFixed(4)}`,
    });
  };
  costRows('per 1,000 leads (poller drain)', 1_000, od, nd);
  costRows('per 10,000 attendees (first sync)', 10_000, ow, nw);
  const unchanged = ours.webex.find((phase) => phase.name === 'unchanged')?.outcome;
  const unchangedNaive = naive.webex.find((phase) => phase.name === 'unchanged')?.outcome;
  if (unchanged && unchangedNaive)
    costRows('per 10,000 attendees (re-sync, unchanged)', 10_000, unchanged, unchangedNaive);
  if (naive.capProbe) {
    const c = naive.capProbe;
    rows.push({
      metric: `Naive search on ${fmt(c.total, 0)} flagged (10k cap)`,
      ours: '-',
      naive: `${fmt(c.fetched, 0)} of ${fmt(c.total, 0)}`,
      ratio: '',
      note: `stops at the cap (no next page offered past 10,000); ${c.searchCalls} search calls, ${c.http429} 429s`,
    });
  }

  rows.push(
    'Bundle size (esbuild, as lib/sync-function.ts: node22 ESM minified, AWS SDK v3 from the runtime)',
  );
  for (const b of bundles) {
    rows.push({
      metric: b.name,
      ours: `${fmt(b.bytes / 1024, 0)} KiB`,
      naive: '',
      ratio: b.heaviest ? (b.bytes <= BUNDLE_BUDGET_BYTES ? '<= 1 MiB' : '> 1 MiB') : '',
      note: b.init
        ? `module init ${fmt(b.init.wallMs, 0)} ms wall, ${fmt(b.init.cpuMs, 0)} ms CPU (fresh node, fastest of 5)`
        : '',
    });
    for (const input of b.heaviest ?? [])
      rows.push({
        metric: `  ${input.input}`,
        ours: `${fmt(input.bytes / 1024, 0)} KiB`,
        naive: '',
        ratio: '',
      });
  }
  return rows;
}

function renderTable(header: string[], rows: Array<Row | string>): string {
  const cols = ['metric', 'ours', 'naive', 'naive/ours', 'note'];
  const cells = rows.map((row) =>
    typeof row === 'string' ? row : [row.metric, row.ours, row.naive, row.ratio, row.note ?? ''],
  );
  const widths = cols.map((col, i) =>
    Math.max(
      col.length,
      ...cells.filter((c): c is string[] => Array.isArray(c)).map((c) => (c[i] ?? '').length),
    ),
  );
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : i === 4 ? v : v.padStart(widths[i] ?? 0)))
      .join(' | ');
  const out = [...header, '', line(cols), widths.map((w) => '-'.repeat(w)).join('-|-')];
  for (const c of cells) out.push(typeof c === 'string' ? `\n## ${c}` : line(c).trimEnd());
  return out.join('\n');
}

async function main(): Promise<void> {
  if (workerSide === 'ours' || workerSide === 'naive') {
    const result = await runSide(workerSide, quick);
    process.stdout.write(JSON.stringify(result));
    return;
  }
  const started = performance.now();
  const commit = gitCommit();
  progress(`venue-sync bench ${quick ? '(quick) ' : ''}on ${commit}`);
  let ours: SideResult;
  let naive: SideResult;
  if (args.includes('--serial')) {
    ours = await runSide('ours', quick);
    naive = await runSide('naive', quick);
  } else {
    [ours, naive] = await Promise.all([runWorker('ours'), runWorker('naive')]);
  }
  progress('bundling handlers');
  const bundles = await bundleSizes();
  const wallS = (performance.now() - started) / 1000;
  const header = [
    `venue-sync bench — commit ${commit}${quick ? ' — QUICK (1/10 sizes)' : ''} — ${new Date().toISOString()}`,
    `Node ${process.version}; limits: HubSpot ${HUBSPOT_TEN_SECOND_LIMIT}/10 s + search 5/s, Tripleseat 10/s, Webex cost 500/s; ` +
      `simulated latency ${LATENCY_MS} ms per call; wall time ${fmt(wallS, 0)} s`,
  ];
  const rows = buildRows(ours, naive, bundles);
  if (json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          commit,
          quick,
          wallSeconds: wallS,
          latencyMs: LATENCY_MS,
          floors: { poller: pollerFloor(ours.drain.records), webex: webexFloor(ours.webexDrain.records) },
          rows,
          bundles,
          ours,
          naive,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(`${renderTable(header, rows)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
