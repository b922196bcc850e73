/**
 * A world whose venues A and B write lead outcomes back, with each venue's real Tripleseat webhook
 * receiver behind a local Function URL registered as that venue's endpoint in the simulator.
 */
import { afterAll, beforeAll } from 'vitest';
import { appConfig } from '../../bin/venues';
import { createHandler as createReceiver } from '../../lambdas/tripleseat-webhook/handler';
import { createHandler as createReconcile } from '../../lambdas/lead-reconcile/handler';
import { validateAppConfig, type AppConfigInput } from '../../shared/config/app-config';
import { LeadIndex } from '../../shared/reconciliation/lead-index';
import { snakeCaseLabel } from '../../shared/schema';
import { serveFunctionUrl, type RunningFunctionUrl } from '../../sandbox/function-url';
import { tripleseatKeys, World } from '../../sandbox/world';
import { capturingObservability, tickPoller, validContact } from '../helpers/world';

export const webhookSecret = (venueId: string) => `whsec-${venueId}`;

/** Outcome labels per venue (A writes them all; B only the outcome and the lost reason). */
export const OUTCOME_LABELS = {
  'venue-a': {
    outcome: 'Tripleseat Outcome - Venue A',
    eventDate: 'Tripleseat Event Date - Venue A',
    lostReason: 'Tripleseat Lost Reason - Venue A',
    bookingLink: 'Tripleseat Booking Link - Venue A',
    outcomeUpdatedAt: 'Tripleseat Outcome Updated - Venue A',
  },
  'venue-b': {
    outcome: 'Tripleseat Outcome - Venue B',
    lostReason: 'Tripleseat Lost Reason - Venue B',
  },
} as const;

export function outcomeConfig(): AppConfigInput {
  return {
    ...appConfig,
    venues: appConfig.venues.map((venue) => {
      const labels = OUTCOME_LABELS[venue.id as keyof typeof OUTCOME_LABELS] as
        Record<string, string> | undefined;
      return labels ? { ...venue, writeBack: { ...venue.writeBack, ...labels } } : venue;
    }),
  };
}

/** The receiver's and the reconcile's environment for a venue (credentials given directly). */
export function leadOutcomeEnv(world: World, venueId: string): Record<string, string> {
  const venue = world.venue(venueId);
  return {
    ...world.commonEnv(),
    VENUE_ID: venueId,
    ...(venue.writeBack ? { WRITEBACK_MAP: JSON.stringify(venue.writeBack) } : {}),
    TRIPLESEAT_BASE_URI: world.tripleseat.url,
    TRIPLESEAT_WEBHOOK_SECRET: webhookSecret(venueId),
    TRIPLESEAT_OAUTH_TOKEN: tripleseatKeys(venueId).oauthToken,
  };
}

export interface OutcomeWorld {
  world: World;
  receivers: Record<string, RunningFunctionUrl>;
  observability: ReturnType<typeof capturingObservability>;
  index: LeadIndex;
  /** Runs the venue's nightly reconcile once. */
  reconcile(venueId: string): ReturnType<ReturnType<typeof createReconcile>>;
}

export function useOutcomeWorld(venueIds: readonly string[] = ['venue-a', 'venue-b']): () => OutcomeWorld {
  let state: OutcomeWorld | undefined;
  beforeAll(async () => {
    const world = await World.start({ timeScale: 50, config: validateAppConfig(outcomeConfig()) });
    const observability = capturingObservability();
    const receivers: Record<string, RunningFunctionUrl> = {};
    for (const venueId of venueIds) {
      const handler = createReceiver(leadOutcomeEnv(world, venueId), {
        observability,
        now: () => world.clock.now(),
      });
      receivers[venueId] = await serveFunctionUrl(handler);
      world.tripleseat.webhooks.register(venueId, receivers[venueId].url, webhookSecret(venueId));
    }
    state = {
      world,
      receivers,
      observability,
      index: new LeadIndex({ client: world.dynamo.client, tableName: world.dynamo.tableName }),
      reconcile: (venueId) =>
        createReconcile(leadOutcomeEnv(world, venueId), { observability, now: () => world.clock.now() })({}),
    };
  });
  afterAll(async () => {
    if (!state) return;
    await Promise.all(Object.values(state.receivers).map((receiver) => receiver.close()));
    await state.world.close();
  });
  return () => {
    if (!state) throw new Error('outcome world not started');
    return state;
  };
}

/** Internal property name of a label (as `venue-sync setup` creates it). */
export function propertyOf(label: string): string {
  return snakeCaseLabel(label);
}

export function contactValue(world: World, contactId: string, label: string): string | undefined {
  const value = world.hubspot.getContact(contactId)?.properties[propertyOf(label)];
  return value === null || value === undefined || value === '' ? undefined : value;
}

/**
 * A marketer ticks the venue's box on a new contact; the real poller sends the lead. Deliveries wait until
 * the poll has recorded the lead id, so a test decides the order, not timing.
 */
export async function sendLead(
  world: World,
  venueId: string,
): Promise<{ contactId: string; leadId: number; email: string }> {
  const contactId = validContact(world);
  const email = world.hubspot.getContact(contactId)?.properties['email'] ?? '';
  world.tick(contactId, venueId);
  world.tripleseat.webhooks.pause();
  await tickPoller(world, venueId);
  world.tripleseat.webhooks.resume();
  await world.tripleseat.webhooks.settled();
  const lead = world.tripleseat.leads(venueId).find((candidate) => candidate.email_address === email);
  if (!lead) throw new Error(`no lead for ${email} in ${venueId}`);
  return { contactId, leadId: lead.id, email };
}
