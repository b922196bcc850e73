/**
 * The live terminal view: a frame built from the runner's stats and the simulators' request logs,
 * redrawn in place with ANSI escapes on a TTY, or one plain line per cycle when stdout is not a TTY
 * (CI, a pipe). Numbers come only from reports and logs; what has not run says so.
 */
import type { SandboxStats, RunOutcome, VenueStats } from './runner';
import { apiStats, type ApiStats } from './summary';
import type { World } from './world';

const ESC = '\u001b[';
export const HIDE_CURSOR = `${ESC}?25l`;
export const SHOW_CURSOR = `${ESC}?25h`;

export interface Schedule {
  timeScale: number;
  cycle: number;
  nextPollAt: number;
  nextWebexAt: number;
  nextMarketerAt: number;
  /** Real ms since start. */
  realElapsedMs: number;
  stopping: boolean;
}

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const pad = (text: string | number, width: number): string => String(text).padStart(width);
const padEnd = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

function lastRunText<S extends string>(run: RunOutcome<S> | undefined, running: number): string {
  if (!run) return running > 0 ? 'first run in progress' : 'not run yet';
  const base = `${run.status}${run.error ? ` (${run.error})` : ''} at ${hhmm(run.finishedAt)} ${run.trigger}, ${run.durationMs} ms`;
  return running > 0 ? `running… (last: ${base})` : base;
}

function venueRows(venue: VenueStats): string[] {
  const row =
    `  ${padEnd(venue.displayName, 26)}${pad(venue.flagged, 8)}${pad(venue.created, 7)}${pad(venue.rejected, 9)}` +
    `${pad(venue.retried, 8)}${pad(venue.quarantined, 7)}${pad(`${venue.runs} (${venue.earlyRuns})`, 13)}  ` +
    lastRunText(venue.lastRun, venue.running);
  const reasons = venue.latestRejections.map((rejection) => `#${rejection.contactId} ${rejection.reason}`);
  return [row, `      latest rejections: ${reasons.length ? reasons.join(' · ') : 'none yet'}`];
}

function apiRows(api: ApiStats): string[] {
  const byVenue = Object.entries(api.tripleseat.byVenue)
    .map(([venue, n]) => `${venue} ${n}`)
    .join(', ');
  return [
    `  ${padEnd('API', 16)}${pad('calls', 7)}${pad('429s', 7)}`,
    `  ${padEnd('HubSpot', 16)}${pad(api.hubspot.calls, 7)}${pad(api.hubspot.rateLimited429s, 7)}`,
    `  ${padEnd('Tripleseat', 16)}${pad(api.tripleseat.calls, 7)}${pad(api.tripleseat.rateLimited429s, 7)}` +
      (byVenue ? `   (${byVenue})` : ''),
    `  ${padEnd('Webex Events', 16)}${pad(api.webex.calls, 7)}${pad(api.webex.rateLimited429s, 7)}`,
  ];
}

export function renderFrame(world: World, stats: SandboxStats, schedule: Schedule): string[] {
  const now = world.clock.now();
  const simMinutes = Math.floor((now - stats.startedAt) / 60_000);
  const lines: string[] = [];
  lines.push(
    `venue-sync sandbox · simulated ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
      `(x${schedule.timeScale}: ${simMinutes} sim min in ${Math.round(schedule.realElapsedMs / 1000)} s) · ` +
      (schedule.stopping ? 'stopping…' : 'Ctrl-C to stop'),
  );
  lines.push(
    `  schedule: cycle ${schedule.cycle} · pollers next ${hhmm(schedule.nextPollAt)} (every 5 min) · ` +
      `Webex next ${hhmm(schedule.nextWebexAt)} (every 15 min) · marketer next ${hhmm(schedule.nextMarketerAt)}`,
  );
  lines.push('');
  lines.push(
    `  ${padEnd('Venue', 26)}${pad('flagged', 8)}${pad('leads', 7)}${pad('rejected', 9)}${pad('retried', 8)}` +
      `${pad('quar.', 7)}${pad('runs (early)', 13)}  last run`,
  );
  for (const venue of stats.venues.values()) lines.push(...venueRows(venue));
  lines.push('');

  const webex = stats.webex;
  if (webex.eventIds.length === 0) {
    lines.push('  Webex Events: not configured (no WEBEX_EVENT_IDS)');
  } else {
    const events = webex.eventIds.map((id) => `${world.webex.attendees(id).length}`).join(' + ');
    const c = webex.changes;
    lines.push(
      `  Webex Events: ${webex.eventIds.length} events (${events} attendees; source changes: ${c.mutated} edited, ` +
        `${c.added} added, ids rolled ${c.idRolls}x)`,
    );
    if (webex.runs === 0) {
      lines.push(`      ${webex.running > 0 ? 'first sync in progress…' : 'not run yet'}`);
    } else {
      lines.push(
        `      people synced ${webex.created + webex.updated} (created ${webex.created}, updated ${webex.updated}) · ` +
          `skipped unchanged ${webex.skippedUnchanged} · id drift followed ${webex.idDrift} · ` +
          `quarantined ${webex.reports.at(-1)?.quarantined ?? 0} (last pass) · failed ${webex.failed}`,
      );
    }
    lines.push(`      last run: ${lastRunText(webex.lastRun, webex.running)} · runs ${webex.runs}`);
  }

  const webhook = stats.webhook;
  if (webhook.deliveries === 0) {
    lines.push('  HubSpot webhook: no delivery yet');
  } else {
    const answers = Object.entries(webhook.answers)
      .map(([status, n]) => `${n}x ${status}`)
      .join(', ');
    const last = webhook.lastAnswer;
    lines.push(
      `  HubSpot webhook: ${webhook.deliveries} deliveries (${answers})` +
        (last
          ? ` · last: ${last.status} at ${hhmm(last.at)}, ${last.events} event(s), ${last.signed ? 'signed' : 'forged'}`
          : ''),
    );
  }
  lines.push('');
  lines.push(...apiRows(apiStats(world)));
  lines.push('');
  const recent = recentWarnings(stats).slice(-4);
  lines.push(`  recent warnings/errors: ${recent.length ? '' : 'none'}`);
  for (const line of recent) lines.push(`    ${line}`);
  return lines;
}

/** The handlers' recent warnings, repeats of one message folded into "(xN)", oldest first. */
function recentWarnings(stats: SandboxStats): string[] {
  const folded: Array<{ text: string; at: number; count: number }> = [];
  for (const line of stats.recentLog) {
    const detail = ['reason', 'error', 'type', 'api', 'status']
      .filter((key) => line.fields[key] !== undefined)
      .map((key) => `${key}=${String(line.fields[key])}`)
      .join(' ');
    const text = `${line.level} ${line.source}: ${line.message}${detail ? ` (${detail})` : ''}`;
    const last = folded.at(-1);
    if (last?.text === text) {
      last.count += 1;
      last.at = line.at;
    } else folded.push({ text, at: line.at, count: 1 });
  }
  return folded.map(({ text, at, count }) => `${hhmm(at)} ${text}${count > 1 ? ` x${count}` : ''}`);
}

/** One line per cycle, for logs. */
export function renderLine(world: World, stats: SandboxStats, schedule: Schedule): string {
  const parts = [`[${hhmm(world.clock.now())} sim] cycle ${schedule.cycle}`];
  for (const venue of stats.venues.values()) {
    parts.push(
      `${venue.venueId}: ${venue.lastRun?.status ?? 'not run'} flagged ${venue.flagged} leads ${venue.created} ` +
        `rejected ${venue.rejected} retried ${venue.retried} quarantined ${venue.quarantined}`,
    );
  }
  const webex = stats.webex;
  parts.push(
    webex.runs === 0
      ? `webex: ${webex.running > 0 ? 'running' : 'not run yet'}`
      : `webex: ${webex.lastRun?.status} synced ${webex.created + webex.updated} skipped ${webex.skippedUnchanged} ` +
          `drift ${webex.idDrift} quarantined ${webex.reports.at(-1)?.quarantined ?? 0}`,
  );
  parts.push(
    `webhook: ${stats.webhook.deliveries} (${Object.entries(stats.webhook.answers)
      .map(([status, n]) => `${n}x${status}`)
      .join(' ')})`,
  );
  const api = apiStats(world);
  parts.push(
    `api calls/429s: hubspot ${api.hubspot.calls}/${api.hubspot.rateLimited429s} ` +
      `tripleseat ${api.tripleseat.calls}/${api.tripleseat.rateLimited429s} webex ${api.webex.calls}/${api.webex.rateLimited429s}`,
  );
  return parts.join(' | ');
}

/** Redraws a frame in place: cursor up over the previous frame, each line cleared, the rest erased. */
export class InPlaceRenderer {
  private previousLines = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  draw(lines: string[]): void {
    const width = Math.max(40, (this.out.columns ?? 120) - 1);
    // Truncated, so no line wraps and the cursor-up count stays right.
    const clipped = lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    let text = this.previousLines > 0 ? `${ESC}${this.previousLines}F` : HIDE_CURSOR;
    for (const line of clipped) text += `${ESC}2K${line}\n`;
    text += `${ESC}J`;
    this.out.write(text);
    this.previousLines = clipped.length;
  }
}
