/**
 * What one `--once` cycle did, read from the simulators (the ground truth: leads in each Tripleseat
 * account, contacts in HubSpot) and from the handlers' reports, plus the invariants it must satisfy.
 * Each check names itself, so a failing run says which promise broke.
 */
import type { VenueReplay } from './chaos-cycle';
import type { DemoSeed, SeededContact } from './demo-data';
import type { LeadOutcomesSummary } from './lead-outcomes-check';
import { pollerFunctionName, type SandboxRunner } from './runner';
import type { World } from './world';

export interface ApiUsage {
  calls: number;
  rateLimited429s: number;
}

export interface ApiStats {
  hubspot: ApiUsage & { byEndpoint: Record<string, number> };
  tripleseat: ApiUsage & { byVenue: Record<string, number> };
  webex: ApiUsage;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VenueSummary {
  venueId: string;
  displayName: string;
  /** Seeded contacts flagged for this venue / of them, valid ones (expected leads). */
  flagged: number;
  expectedLeads: number;
  /** Where the venue's leads go: 'Tripleseat', or its http destination's name. */
  destinationName: string;
  /** Leads in this venue's own account at its destination. */
  leadsInAccount: number;
  leads: Array<{ leadId: number | string; email: string; contact?: string }>;
  runs: Array<{ trigger: string; status: string }>;
  created: number;
  rejected: number;
  retried: number;
  quarantined: number;
  rejections: Array<{ contactId: string; contact?: string; reason: string }>;
}

/** What `--once --chaos` injected, how it settled, what replay did, and the end-to-end checks. */
export interface ChaosSummary {
  seed: number;
  /** Minutes from the start of the cycle, simulated. */
  episodes: Array<{ label: string; fromMinute: number; toMinute: number }>;
  /** Answers the chaos changed, per API, from the simulators' request logs. */
  injected: Record<
    'hubspot' | 'tripleseat' | 'webex',
    { lostAnswers: number; status429: number; status503: number }
  >;
  /** Requests the marketer ticked while chaos ran (on top of the seeded ones). */
  requestsDuringChaos: number;
  settleTicks: number;
  settleProblems: string[];
  replay: VenueReplay[];
  /** Rejections as the ledger holds them (a rejection finished by a later tick is not in that tick's report). */
  rejections: Array<{ venueId: string; contactId: string; reason: string }>;
  checks: CheckResult[];
}

export interface OnceSummary {
  ok: boolean;
  failedChecks: string[];
  checks: CheckResult[];
  venues: VenueSummary[];
  crossVenueLeads: number;
  webex: {
    events: Array<{ id: number; name: string; attendees: number }>;
    status: string;
    peopleSynced: number;
    created: number;
    updated: number;
    skippedUnchanged: number;
    idDrift: number;
    quarantined: number;
    failed: number;
    attendeesSeen: number;
  };
  webhook: {
    deliveries: number;
    answers: Record<number, number>;
    earlyPolls: Array<{ functionName: string; status: string; pollStatus?: string; created?: number }>;
  };
  api: ApiStats;
  /** What the venues' sales teams did to leads, and what reached the contacts (absent: not exercised). */
  leadOutcomes?: LeadOutcomesSummary;
  chaos?: ChaosSummary;
  simulatedMinutes: number;
  realSeconds: number;
}

export function apiStats(world: World): ApiStats {
  const byVenue: Record<string, number> = {};
  const credentialOwner = new Map<string, string>();
  for (const venue of world.config.venues) {
    const env = world.pollerEnv(venue.id);
    for (const key of [env['TRIPLESEAT_PUBLIC_KEY'], env['TRIPLESEAT_OAUTH_TOKEN']]) {
      if (key) credentialOwner.set(key.slice(-4), venue.id);
    }
  }
  for (const entry of world.tripleseat.log.entries) {
    const venue = (entry.credential && credentialOwner.get(entry.credential)) ?? 'unknown';
    byVenue[venue] = (byVenue[venue] ?? 0) + 1;
  }
  const count429 = (entries: ReadonlyArray<{ status: number }>) =>
    entries.filter((entry) => entry.status === 429).length;
  return {
    hubspot: {
      calls: world.hubspot.log.entries.length,
      // From the request log like the others, so injected 429s (--chaos) count too.
      rateLimited429s: count429(world.hubspot.log.entries),
      byEndpoint: world.hubspot.callCounts(),
    },
    tripleseat: {
      calls: world.tripleseat.log.entries.length,
      rateLimited429s: count429(world.tripleseat.log.entries),
      byVenue,
    },
    webex: { calls: world.webex.log.entries.length, rateLimited429s: count429(world.webex.log.entries) },
  };
}

const normEmail = (email: string | undefined): string => (email ?? '').normalize('NFC').trim().toLowerCase();

export interface SummaryInput {
  world: World;
  runner: SandboxRunner;
  seed: DemoSeed;
  /** Contacts ticked for the webhook path (after the scheduled polls). */
  webhookContacts: SeededContact[];
  /** Contacts a marketer ticked later (during chaos). */
  laterContacts?: SeededContact[];
  /** Answers of the signed delivery and of the forged one. */
  webhookAnswers: { signed: number; forged: number };
  /** Early invokes recorded by the local Lambda endpoint before / after the forged delivery. */
  invocationsBeforeForged: number;
  startedRealMs: number;
  /** The sales team's changes and what landed (sandbox/lead-outcomes-check.ts); adds the 'lead-outcomes' check. */
  leadOutcomes?: LeadOutcomesSummary;
  /** Present for `--once --chaos`: its checks replace 'handlers-completed' (chaos makes runs fail). */
  chaos?: ChaosSummary;
}

export function buildOnceSummary(input: SummaryInput): OnceSummary {
  const { world, runner } = input;
  const contacts = [...input.seed.contacts, ...input.webhookContacts, ...(input.laterContacts ?? [])];
  const checks: CheckResult[] = [];
  const check = (name: string, problems: string[], okDetail: string) =>
    checks.push({
      name,
      ok: problems.length === 0,
      detail: problems.length ? problems.join('; ') : okDetail,
    });

  // Whose email is whose: the seeded contact as HubSpot stored it.
  const contactByEmail = new Map<string, SeededContact>();
  const emailOf = (contact: SeededContact) =>
    normEmail(world.hubspot.getContact(contact.contactId)?.properties['email']);
  for (const contact of contacts) contactByEmail.set(emailOf(contact), contact);

  const venues: VenueSummary[] = [];
  const leadProblems: string[] = [];
  const crossVenue: string[] = [];
  const rejectionProblems: string[] = [];
  for (const venue of world.config.venues) {
    const stats = runner.stats.venues.get(venue.id);
    const flaggedHere = contacts.filter((contact) => contact.flags.includes(venue.id));
    const expected = flaggedHere.filter((contact) => 'lead' in contact.expect);
    const leads = world.leadsAt(venue.id);
    const rejections = input.chaos
      ? input.chaos.rejections.filter((rejection) => rejection.venueId === venue.id)
      : (stats?.reports.flatMap((report) => report.rejections) ?? []);

    // Every valid flagged contact: exactly one lead in this account.
    for (const contact of expected) {
      const n = leads.filter((lead) => normEmail(lead.email_address) === emailOf(contact)).length;
      if (n !== 1) leadProblems.push(`${contact.name} has ${n} leads in ${venue.id} (expected 1)`);
    }
    // Every lead in this account: a contact flagged, and valid, for this venue.
    for (const lead of leads) {
      const owner = contactByEmail.get(normEmail(lead.email_address));
      if (!owner) leadProblems.push(`${venue.id} has lead ${lead.id} for no seeded contact`);
      else if (!owner.flags.includes(venue.id))
        crossVenue.push(`${owner.name} -> ${venue.id} (lead ${lead.id})`);
      else if (!('lead' in owner.expect))
        leadProblems.push(`${owner.name} should have been rejected by ${venue.id} but got lead ${lead.id}`);
    }
    // Every flawed flagged contact: rejected by this venue, with a reason naming the flaw.
    for (const contact of flaggedHere) {
      const mine = rejections.filter((rejection) => rejection.contactId === contact.contactId);
      if ('lead' in contact.expect) {
        if (mine.length > 0)
          rejectionProblems.push(`${contact.name} was rejected by ${venue.id}: ${mine[0]?.reason}`);
        continue;
      }
      const pattern = contact.expect.rejectedBecause;
      if (mine.length !== 1)
        rejectionProblems.push(`${contact.name}: ${mine.length} rejections by ${venue.id}`);
      else if (!mine[0]?.reason.trim()) rejectionProblems.push(`${contact.name}: rejected without a reason`);
      else if (!pattern.test(mine[0].reason))
        rejectionProblems.push(`${contact.name}: reason '${mine[0].reason}' does not match ${pattern}`);
    }

    venues.push({
      venueId: venue.id,
      displayName: venue.displayName,
      flagged: flaggedHere.length,
      expectedLeads: expected.length,
      destinationName: venue.destination?.type === 'http' ? venue.destination.name : 'Tripleseat',
      leadsInAccount: leads.length,
      leads: leads.map((lead) => {
        const owner = contactByEmail.get(normEmail(lead.email_address));
        return { leadId: lead.id, email: lead.email_address, ...(owner ? { contact: owner.name } : {}) };
      }),
      runs: (stats?.reports ?? []).map((report) => ({ trigger: report.trigger, status: report.status })),
      created: stats?.created ?? 0,
      rejected: stats?.rejected ?? 0,
      retried: stats?.retried ?? 0,
      quarantined: stats?.quarantined ?? 0,
      rejections: rejections.map(({ contactId, reason }) => {
        const owner = contacts.find((contact) => contact.contactId === contactId);
        return { contactId, reason, ...(owner ? { contact: owner.name } : {}) };
      }),
    });
  }
  check(
    'every-valid-flag-one-lead',
    leadProblems,
    'each valid flagged contact is exactly one lead in its venue',
  );
  check('no-cross-venue-leads', crossVenue, 'no lead reached a venue the contact was not flagged for');
  check(
    'rejections-have-reasons',
    rejectionProblems,
    'every flawed contact rejected, with a reason naming the field',
  );

  // No processed contact keeps its flag.
  const stillFlagged: string[] = [];
  for (const contact of contacts) {
    for (const venueId of contact.flags) {
      const value = world.hubspot.getContact(contact.contactId)?.properties[world.flagProperty(venueId)];
      if (value === 'true') stillFlagged.push(`${contact.name} (${venueId})`);
    }
  }
  check('flags-cleared', stillFlagged, 'no processed contact still has its flag set');

  // Every run of every handler finished its work (under chaos: once chaos stopped, ticks settled it).
  const webexStats = runner.stats.webex;
  const webexReport = webexStats.reports.at(-1);
  if (input.chaos) {
    check(
      'settled-after-chaos',
      input.chaos.settleProblems,
      `${input.chaos.settleTicks} tick(s) after chaos stopped, every poller completed with nothing flagged`,
    );
  } else {
    const runProblems: string[] = [];
    for (const stats of runner.stats.venues.values()) {
      if (stats.lastRun?.status === 'error') runProblems.push(`${stats.venueId}: ${stats.lastRun.error}`);
      for (const report of stats.reports)
        if (report.status !== 'completed') runProblems.push(`${stats.venueId}: ${report.status}`);
      if (stats.retried + stats.quarantined > 0)
        runProblems.push(`${stats.venueId}: ${stats.retried} retried, ${stats.quarantined} quarantined`);
    }
    if (webexStats.lastRun?.status === 'error') runProblems.push(`webex: ${webexStats.lastRun.error}`);
    check('handlers-completed', runProblems, 'every poller and the Webex sync completed');
  }

  // Webex: people reached HubSpot; the ones that did not are exactly the quarantined/failed ones.
  const webexProblems: string[] = [];
  const peopleSynced = webexStats.created + webexStats.updated;
  if (!webexReport) webexProblems.push('the Webex sync did not report');
  else if (webexReport.status !== 'completed') webexProblems.push(`status ${webexReport.status}`);
  if (peopleSynced === 0) webexProblems.push('no people synced');
  const emails = new Set<string>();
  for (const event of input.seed.webexEvents)
    for (const attendee of world.webex.attendees(event.id)) {
      const email = normEmail(attendee.email ?? undefined);
      if (email) emails.add(email);
    }
  const missing = [...emails].filter((email) => !world.hubspot.findByEmail(email)).length;
  if (missing > webexStats.quarantined + webexStats.failed)
    webexProblems.push(
      `${missing} attendees with an email are not in HubSpot (quarantined ${webexStats.quarantined}, failed ${webexStats.failed})`,
    );
  check(
    'webex-people-synced',
    webexProblems,
    `${peopleSynced} people synced, ${missing} left out (no usable email)`,
  );

  // Webhook: the signed delivery woke exactly the ticked venues' pollers; the forged one nothing.
  const invocations = runner.lambda.invocations;
  const webhookProblems: string[] = [];
  if (input.webhookAnswers.signed !== 204)
    webhookProblems.push(`signed delivery answered ${input.webhookAnswers.signed}`);
  if (input.webhookAnswers.forged !== 401)
    webhookProblems.push(`forged delivery answered ${input.webhookAnswers.forged}`);
  if (invocations.length !== input.invocationsBeforeForged)
    webhookProblems.push('the forged delivery invoked a poller');
  const wanted = new Set(input.webhookContacts.flatMap((contact) => contact.flags));
  const invoked = new Set(invocations.map((record) => record.functionName));
  for (const venueId of wanted) {
    const record = invocations.find((candidate) => candidate.functionName === pollerFunctionName(venueId));
    if (!record) webhookProblems.push(`no early invoke of ${venueId}'s poller`);
    else if (record.status !== 'succeeded') webhookProblems.push(`${venueId} early poll ${record.status}`);
  }
  if (invoked.size !== wanted.size) webhookProblems.push(`invoked ${[...invoked].join(', ')}`);
  check(
    'webhook-early-poll',
    webhookProblems,
    `signed delivery 204 -> early poll of ${[...wanted].join(', ')}; forged 401`,
  );

  if (input.leadOutcomes) {
    const outcomes = input.leadOutcomes;
    check(
      'lead-outcomes',
      outcomes.problems,
      `every delivered outcome is on the right contact at the right venue only (${outcomes.confirmed} confirmed)`,
    );
  }

  if (input.chaos) checks.push(...input.chaos.checks);

  const failedChecks = checks.filter((result) => !result.ok).map((result) => result.name);
  return {
    ok: failedChecks.length === 0,
    failedChecks,
    checks,
    venues,
    crossVenueLeads: crossVenue.length,
    webex: {
      events: input.seed.webexEvents,
      status: webexReport?.status ?? webexStats.lastRun?.status ?? 'not run',
      peopleSynced,
      created: webexStats.created,
      updated: webexStats.updated,
      skippedUnchanged: webexStats.skippedUnchanged,
      idDrift: webexStats.idDrift,
      quarantined: webexStats.quarantined,
      failed: webexStats.failed,
      attendeesSeen: webexStats.attendeesSeen,
    },
    webhook: {
      deliveries: runner.stats.webhook.deliveries,
      answers: runner.stats.webhook.answers,
      earlyPolls: invocations.map((record) => {
        const result = record.result as { status?: string; created?: number } | undefined;
        return {
          functionName: record.functionName,
          status: record.status,
          ...(result?.status ? { pollStatus: result.status, created: result.created ?? 0 } : {}),
        };
      }),
    },
    api: apiStats(world),
    ...(input.leadOutcomes ? { leadOutcomes: input.leadOutcomes } : {}),
    ...(input.chaos ? { chaos: input.chaos } : {}),
    simulatedMinutes: Math.round((world.clock.now() - runner.stats.startedAt) / 60_000),
    realSeconds: Math.round((Date.now() - input.startedRealMs) / 100) / 10,
  };
}

/** The human-readable form of the summary. */
export function formatOnceSummary(summary: OnceSummary): string {
  const out: string[] = [];
  out.push('venue-sync sandbox: one cycle');
  out.push('');
  for (const venue of summary.venues) {
    out.push(
      `${venue.displayName} [${venue.venueId}]: ${venue.leadsInAccount} lead(s) in its ${venue.destinationName} account ` +
        `(expected ${venue.expectedLeads}); runs: ${venue.runs.map((run) => `${run.trigger} ${run.status}`).join(', ')}`,
    );
    for (const lead of venue.leads) out.push(`    lead #${lead.leadId}  ${lead.contact ?? lead.email}`);
    for (const rejection of venue.rejections)
      out.push(`    rejected  ${rejection.contact ?? `contact ${rejection.contactId}`}: ${rejection.reason}`);
    if (venue.retried + venue.quarantined > 0)
      out.push(`    retried ${venue.retried}, quarantined ${venue.quarantined}`);
  }
  out.push(`cross-venue leads: ${summary.crossVenueLeads}`);
  out.push('');
  const w = summary.webex;
  out.push(
    `Webex (${w.events.map((event) => `${event.name}: ${event.attendees}`).join(', ')}): ${w.status}; ` +
      `people synced ${w.peopleSynced} (created ${w.created}, updated ${w.updated}), skipped unchanged ` +
      `${w.skippedUnchanged}, id drift followed ${w.idDrift}, quarantined ${w.quarantined}, failed ${w.failed}`,
  );
  out.push(
    `HubSpot webhook: ${summary.webhook.deliveries} deliveries (${Object.entries(summary.webhook.answers)
      .map(([status, n]) => `${n}x ${status}`)
      .join(', ')}); early polls: ${
      summary.webhook.earlyPolls
        .map(
          (poll) =>
            `${poll.functionName} ${poll.status}${poll.pollStatus ? ` (${poll.pollStatus}, ${poll.created} created)` : ''}`,
        )
        .join(', ') || 'none'
    }`,
  );
  const api = summary.api;
  out.push(
    `API calls: HubSpot ${api.hubspot.calls} (429s: ${api.hubspot.rateLimited429s}), Tripleseat ${api.tripleseat.calls} ` +
      `(429s: ${api.tripleseat.rateLimited429s}; ${Object.entries(api.tripleseat.byVenue)
        .map(([venue, n]) => `${venue} ${n}`)
        .join(', ')}), Webex ${api.webex.calls} (429s: ${api.webex.rateLimited429s})`,
  );
  if (summary.leadOutcomes) out.push(formatLeadOutcomes(summary.leadOutcomes));
  if (summary.chaos) out.push('', ...formatChaos(summary.chaos));
  out.push(`simulated ${summary.simulatedMinutes} min in ${summary.realSeconds} s`);
  out.push('');
  for (const result of summary.checks)
    out.push(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name}: ${result.detail}`);
  out.push(summary.ok ? 'all checks passed' : `FAILED: ${summary.failedChecks.join(', ')}`);
  return out.join('\n');
}

function formatLeadOutcomes(outcomes: LeadOutcomesSummary): string {
  const a = outcomes.acted;
  const d = outcomes.deliveries;
  return (
    `Lead outcomes (sales team): booked ${a.book}, converted ${a.convert}, turned down ${a['turn-down']}, ` +
    `lost ${a.lose}, left open ${outcomes.leftOpen}; ${outcomes.confirmed} confirmed on the contact; ` +
    `Tripleseat deliveries: ${d.delivered} delivered (${d.retried} after a retry), ${d.dropped} dropped, ` +
    `${d.gaveUp} given up, ${d.inFlight} in flight`
  );
}

function formatChaos(chaos: ChaosSummary): string[] {
  const out = [
    `Chaos (seed ${chaos.seed}): ${chaos.episodes.length} episodes; ${chaos.requestsDuringChaos} more requests ticked during it`,
  ];
  for (const episode of chaos.episodes)
    out.push(`    min ${episode.fromMinute}-${episode.toMinute}  ${episode.label}`);
  out.push(
    `  hit: ${Object.entries(chaos.injected)
      .map(([api, n]) => `${api} ${n.lostAnswers} answers lost, ${n.status429} x 429, ${n.status503} x 503`)
      .join('; ')}`,
  );
  out.push(`  settled ${chaos.settleTicks} tick(s) after chaos stopped`);
  for (const venue of chaos.replay) {
    if (venue.quarantined === 0) {
      out.push(`  ${venue.venueId}: nothing quarantined`);
      continue;
    }
    const checked = venue.personChecked
      ? ` (no OAuth: checked Tripleseat by hand, ${venue.personChecked.withLead} with a lead, ` +
        `${venue.personChecked.withoutLead} without; --checked-tripleseat ${venue.personChecked.confirmedNone ? 'given' : 'not given'})`
      : ' (OAuth: replay looks leads up)';
    const outcomes: Record<string, number> = {};
    for (const item of venue.report?.items ?? []) outcomes[item.outcome] = (outcomes[item.outcome] ?? 0) + 1;
    out.push(
      `  ${venue.venueId}: ${venue.quarantined} quarantined${checked}; replay: ${
        Object.entries(outcomes)
          .map(([outcome, n]) => `${n} ${outcome}`)
          .join(', ') || 'nothing'
      }${venue.note ? `; ${venue.note}` : ''}`,
    );
  }
  return out;
}
