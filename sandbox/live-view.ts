/**
 * The live terminal view: a frame built from the runner's stats and the simulators' request logs,
 * redrawn in place with ANSI escapes on a TTY, or one plain line per cycle when stdout is not a TTY
 * (CI, a pipe). Numbers come only from reports and logs; what has not run says so.
 */
import type { ChaosMonkey } from './chaos';
import {
  deliveryCounts,
  deliveryState,
  outcomePropertyOf,
  type DeliveryCounts,
  type DeliveryState,
} from './lead-outcomes-check';
import { duration, leadLatency, oldestWaitingNow, promiseVerdict, PROMISE_SECONDS } from './lead-latency';
import type { SandboxStats, RunOutcome, VenueStats } from './runner';
import type { SalesAct, SalesAction, SalesTeam } from './sales-team';
import { apiStats, type ApiStats } from './summary';
import { DELIVERY_RETRIES } from './tripleseat/webhooks';
import type { World } from './world';

/** The promise is judged over the last hour of runs (12 ticks), so an old outage does not stick. */
const PROMISE_WINDOW_RUNS = 12;

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
  /** The chaos in play (`--chaos`). */
  chaos?: ChaosMonkey;
  /** What the odd vendor changes (`--odd`). */
  odd?: readonly string[];
  /** The simulated sales team and every change it made so far, oldest first (lead outcomes). */
  sales?: { team: SalesTeam; acts: readonly SalesAct[] };
}

/** Every attempt of a delivery: the first plus Tripleseat's resends. */
const DELIVERY_ATTEMPTS = DELIVERY_RETRIES + 1;
const RECENT_OUTCOME_LINES = 4;

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const pad = (text: string | number, width: number): string => String(text).padStart(width);
const padEnd = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

function lastRunText<S extends string>(run: RunOutcome<S> | undefined, running: number): string {
  if (!run) return running > 0 ? 'first run in progress' : 'not run yet';
  const base = `${run.status}${run.error ? ` (${run.error})` : ''} at ${hhmm(run.finishedAt)} ${run.trigger}, ${run.durationMs} ms`;
  return running > 0 ? `running… (last: ${base})` : base;
}

/** "Ana García (#1234)": the name HubSpot has for a contact id, so a person can find it. */
export function contactLabel(world: World, contactId: string): string {
  const properties = world.hubspot.getContact(contactId)?.properties;
  const name = [properties?.['firstname'], properties?.['lastname']]
    .filter((part) => part && part.trim())
    .join(' ');
  return name ? `${name} (#${contactId})` : `#${contactId}`;
}

const quarantineText = (count: number | undefined): string => (count === undefined ? '?' : String(count));

function venueRows(world: World, venue: VenueStats): string[] {
  const recent = venue.reports.slice(-PROMISE_WINDOW_RUNS);
  const latency = leadLatency(recent);
  const waiting = oldestWaitingNow(world, venue.venueId);
  const verdict = promiseVerdict(latency, waiting);
  const row =
    `  ${padEnd(venue.displayName, 26)}${pad(venue.flagged, 8)}${pad(venue.created, 7)}${pad(venue.rejected, 9)}` +
    `${pad(venue.retried, 8)}${pad(quarantineText(venue.quarantinedNow), 7)}${pad(duration(waiting), 9)}` +
    `${pad(`${venue.runs} (${venue.earlyRuns})`, 13)}  ` +
    lastRunText(venue.lastRun, venue.running);
  const promise =
    `      5-min promise: ${verdict === 'met' ? 'MET' : verdict === 'missed' ? 'MISSED' : 'no leads yet'} · ` +
    `tick-to-lead p50 ${duration(latency.p50)} p95 ${duration(latency.p95)} over ${latency.leads} lead(s), ` +
    `worst wait ${duration(latency.worstReportedWaitSeconds)} (last ${recent.length} runs; promise ${duration(PROMISE_SECONDS)})`;
  const reasons = venue.latestRejections.map(
    (rejection) => `${contactLabel(world, rejection.contactId)} ${rejection.reason}`,
  );
  return [row, promise, `      latest rejections: ${reasons.length ? reasons.join(' · ') : 'none yet'}`];
}

function chaosRows(chaos: ChaosMonkey, now: number): string[] {
  if (chaos.isStopped) return ['  chaos: stopped'];
  const active = chaos.active();
  const next = chaos.next();
  const lines = [
    `  chaos (seed ${chaos.seed}): ${active.length} active` +
      (next
        ? ` · next at ${hhmm(next.startsAt)} (in ${duration(Math.round((next.startsAt - now) / 1000))}): ${next.label}`
        : ''),
  ];
  for (const { episode, remainingMs } of active)
    lines.push(`      ACTIVE ${episode.label} · ${duration(Math.round(remainingMs / 1000))} left`);
  return lines;
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
  if (schedule.odd) lines.push(`  odd vendor: ${schedule.odd.join(' · ')}`);
  if (schedule.chaos) lines.push(...chaosRows(schedule.chaos, now));
  lines.push('');
  lines.push(
    `  ${padEnd('Venue', 26)}${pad('flagged', 8)}${pad('leads', 7)}${pad('rejected', 9)}${pad('retried', 8)}` +
      `${pad('quar.', 7)}${pad('waiting', 9)}${pad('runs (early)', 13)}  last run`,
  );
  for (const venue of stats.venues.values()) lines.push(...venueRows(world, venue));
  lines.push(
    '  quar. = quarantine records in the table now (as `venue-sync status` lists them); waiting = the oldest ' +
      'ticked request not yet decided',
  );
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
          `quarantined ${quarantineText(webex.quarantinedNow)} (records in the table) · failed ${webex.failed}`,
      );
    }
    lines.push(`      last run: ${lastRunText(webex.lastRun, webex.running)} · runs ${webex.runs}`);
  }

  lines.push(...webhookRows(stats));
  if (schedule.sales) lines.push('', ...leadOutcomeRows(world, schedule.sales));
  lines.push('');
  lines.push(...apiRows(apiStats(world)));
  lines.push('');
  const recent = recentWarnings(world, stats).slice(-4);
  lines.push(`  recent warnings/errors: ${recent.length ? '' : 'none'}`);
  for (const line of recent) lines.push(`    ${line}`);
  return lines;
}

/**
 * Real deliveries and the demo's own forged one apart: the forged delivery is how the sandbox shows the
 * signature check works, so its 401 is the expected answer, not an incident.
 */
function webhookRows(stats: SandboxStats): string[] {
  const webhook = stats.webhook;
  if (webhook.deliveries === 0) return ['  HubSpot webhook: no delivery yet'];
  const answers = { ...webhook.answers };
  // The demo's forged deliveries answered 401 (if they did): take them out of the real ones.
  const demoRefused = Math.min(webhook.forgedByDemo, answers[401] ?? 0);
  if (demoRefused > 0) answers[401] = (answers[401] ?? 0) - demoRefused;
  const real = Object.entries(answers)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n}x ${status}`)
    .join(', ');
  const last = webhook.lastAnswer;
  const lines = [
    `  HubSpot webhook: ${webhook.deliveries - webhook.forgedByDemo} deliveries (${real || 'none answered yet'})` +
      (last && last.signed ? ` · last: ${last.status} at ${hhmm(last.at)}, ${last.events} event(s)` : ''),
  ];
  if (webhook.forgedByDemo > 0) {
    const ok = demoRefused === webhook.forgedByDemo;
    lines.push(
      `      demo check: ${webhook.forgedByDemo} delivery forged on purpose (wrong secret) -> ` +
        (ok
          ? 'refused 401, nothing invoked: the signature check works'
          : 'NOT refused: the signature check failed'),
    );
  }
  return lines;
}

const ACTION_WORDS: Record<SalesAction, string> = {
  book: 'booked',
  convert: 'converted',
  'turn-down': 'turned down',
  lose: 'lost',
};

/** Per venue with a receiver: what the sales team did and how Tripleseat's deliveries fared. */
function leadOutcomeRows(world: World, sales: NonNullable<Schedule['sales']>): string[] {
  const lines = [
    `  Lead outcomes (Tripleseat -> HubSpot): the sales team acts on a lead 10-40 min after it is created · ` +
      `${sales.team.pendingCount} waiting, ${sales.team.leftOpen} left open`,
  ];
  for (const venue of world.config.venues) {
    if (!world.receivers.has(venue.id)) continue;
    const acts = sales.acts.filter((act) => act.plan.venueId === venue.id);
    const deliveries = world.tripleseat.webhooks.deliveries.filter((record) => record.venueId === venue.id);
    lines.push(
      `    ${padEnd(venue.displayName, 26)} ${outcomeCountsText(acts)} · deliveries ` +
        deliveryCountsText(deliveryCounts(deliveries, DELIVERY_ATTEMPTS)),
    );
  }
  const recent = sales.acts.slice(-RECENT_OUTCOME_LINES);
  lines.push(`    recent: ${recent.length ? '' : 'no lead changed yet'}`);
  for (const act of recent) lines.push(`      ${outcomeActivityLine(readOutcomeActivity(world, act))}`);
  return lines;
}

export function outcomeCountsText(acts: readonly SalesAct[]): string {
  const count = (action: SalesAction) => acts.filter((act) => act.plan.action === action).length;
  return (['book', 'convert', 'turn-down', 'lose'] as const)
    .map((action) => `${ACTION_WORDS[action]} ${count(action)}`)
    .join(' · ');
}

export function deliveryCountsText(counts: DeliveryCounts): string {
  return (
    `${counts.delivered} delivered (${counts.retried} retried), ${counts.dropped} dropped, ` +
    `${counts.gaveUp} gave up, ${counts.inFlight} in flight`
  );
}

/** One sales change as the view tells it: the lead, the delivery, and the contact's outcome read back. */
export interface OutcomeActivity {
  at: number;
  venueId: string;
  leadId: number;
  /** "Ada Lovelace", from the lead in Tripleseat. */
  leadName: string | undefined;
  action: SalesAction;
  expectedOutcome: string;
  delivery: DeliveryState;
  attempts: number;
  /** The HubSpot contact the lead's email belongs to. */
  contactId: string | undefined;
  /** The venue's outcome property and the contact's value of it now; undefined when the venue writes none. */
  outcome: { label: string; value: string } | undefined;
  /**
   * Another lead of the same contact in this venue changed after this one (a re-ticked contact has two): the
   * one property then shows that lead's outcome, not a lost write.
   */
  laterLeadId?: number;
}

/** Reads the lead's name, its contact and that contact's outcome property from the simulators. */
export function readOutcomeActivity(world: World, act: SalesAct): OutcomeActivity {
  const { venueId, leadId } = act.plan;
  const lead = world.tripleseat.leads(venueId).find((candidate) => candidate.id === leadId);
  const contact = lead ? world.hubspot.findByEmail(lead.email_address) : undefined;
  const property = outcomePropertyOf(world, venueId);
  const label = world.venue(venueId).writeBack?.outcome;
  const name = lead ? `${lead.first_name} ${lead.last_name}`.trim() : '';
  const laterLead = lead
    ? world.tripleseat
        .leads(venueId)
        .filter(
          (other) =>
            other.id !== leadId &&
            other.email_address === lead.email_address &&
            Date.parse(other.updated_at) >= Date.parse(lead.updated_at),
        )
        .at(-1)
    : undefined;
  return {
    at: act.at,
    venueId,
    leadId,
    leadName: name || undefined,
    action: act.plan.action,
    expectedOutcome: act.expectedOutcome,
    delivery: act.delivery ? deliveryState(act.delivery, DELIVERY_ATTEMPTS) : 'dropped',
    attempts: act.delivery?.attempts.length ?? 0,
    contactId: contact?.id,
    outcome: property && label ? { label, value: contact?.properties[property] ?? '' } : undefined,
    ...(laterLead ? { laterLeadId: laterLead.id } : {}),
  };
}

/**
 * "12:40 venue-a: lead 123 (Ada Lovelace) booked — contact 42 updated: Tripleseat Outcome - Venue A = Booked".
 * "updated" is said only when the contact's value, read back, is the outcome the change should leave.
 */
export function outcomeActivityLine(activity: OutcomeActivity): string {
  const what =
    activity.action === 'lose'
      ? `lost (${activity.expectedOutcome.replace(/^Lost: /, '')})`
      : ACTION_WORDS[activity.action];
  const head =
    `${hhmm(activity.at)} ${activity.venueId}: lead ${activity.leadId}` +
    `${activity.leadName ? ` (${activity.leadName})` : ''} ${what}`;
  const contact = activity.contactId ? `contact ${activity.contactId}` : 'no contact';
  switch (activity.delivery) {
    case 'in flight':
      return `${head} — delivery in flight (${activity.attempts} attempt(s) so far)`;
    case 'dropped':
      return `${head} — delivery dropped on the way; the nightly reconcile catches it up`;
    case 'gave up':
      return `${head} — Tripleseat gave up after ${activity.attempts} attempts; the nightly reconcile catches it up`;
    case 'delivered':
      break;
  }
  const retried = activity.attempts > 1 ? ` (delivered on attempt ${activity.attempts})` : '';
  if (!activity.outcome)
    return `${head} — delivered${retried}; ${activity.venueId} writes no outcome property (kept in the table)`;
  const { label, value } = activity.outcome;
  if (value === activity.expectedOutcome)
    return `${head} — ${contact} updated: ${label} = ${value}${retried}`;
  if (activity.laterLeadId !== undefined)
    return `${head} — delivered${retried}; ${contact} now shows its later lead ${activity.laterLeadId}: ${label} = ${value}`;
  return `${head} — delivered${retried}, but ${contact} shows ${label} = '${value}' (expected '${activity.expectedOutcome}')`;
}

/** The handlers' recent warnings, repeats of one message folded into "(xN)", oldest first. */
function recentWarnings(world: World, stats: SandboxStats): string[] {
  const folded: Array<{ text: string; at: number; count: number }> = [];
  for (const line of stats.recentLog) {
    const detail = ['reason', 'error', 'type', 'api', 'status']
      .filter((key) => line.fields[key] !== undefined)
      .map((key) => `${key}=${String(line.fields[key])}`)
      .join(' ');
    const who =
      typeof line.fields['contactId'] === 'string' ? ` ${contactLabel(world, line.fields['contactId'])}` : '';
    const text = line.demoCheck
      ? `demo check ${line.source}: ${line.message} (the sandbox's own forged delivery, as expected)`
      : `${line.level} ${line.source}:${who} ${line.message}${detail ? ` (${detail})` : ''}`;
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
        `rejected ${venue.rejected} retried ${venue.retried} quarantined ${quarantineText(venue.quarantinedNow)} ` +
        `waiting ${duration(oldestWaitingNow(world, venue.venueId))}`,
    );
  }
  const webex = stats.webex;
  parts.push(
    webex.runs === 0
      ? `webex: ${webex.running > 0 ? 'running' : 'not run yet'}`
      : `webex: ${webex.lastRun?.status} synced ${webex.created + webex.updated} skipped ${webex.skippedUnchanged} ` +
          `drift ${webex.idDrift} quarantined ${quarantineText(webex.quarantinedNow)}`,
  );
  parts.push(
    `webhook: ${stats.webhook.deliveries} (${Object.entries(stats.webhook.answers)
      .map(([status, n]) => `${n}x${status}`)
      .join(' ')}; ${stats.webhook.forgedByDemo} forged by the demo)`,
  );
  if (schedule.sales) {
    const counts = deliveryCounts(world.tripleseat.webhooks.deliveries, DELIVERY_ATTEMPTS);
    parts.push(
      `outcomes: ${outcomeCountsText(schedule.sales.acts)} (tripleseat deliveries ${counts.delivered} ok, ` +
        `${counts.retried} retried, ${counts.dropped} dropped, ${counts.gaveUp} gave up)`,
    );
  }
  if (schedule.chaos && !schedule.chaos.isStopped) {
    const active = schedule.chaos.active().map(({ episode }) => episode.label);
    parts.push(`chaos: ${active.length ? active.join(', ') : 'none active'}`);
  }
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
