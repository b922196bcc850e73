import { describe, expect, it } from 'vitest';
import { capturingObservability, tickPoller, useWorld, validContact } from '../helpers/world';

const world = useWorld();

describe('Handler: venue-poller', () => {
  it('creates exactly one lead per flagged contact, in the right venue only, and clears the flags', async () => {
    // Prepare: contacts flagged for one venue, and one flagged for two venues at once.
    const w = world();
    const onlyA = validContact(w);
    const onlyMarina = validContact(w, { boat_brand: 'Boston Whaler' });
    const both = validContact(w);
    const unflagged = validContact(w);
    w.tick(onlyA, 'venue-a');
    w.tick(onlyMarina, 'marina');
    w.tick(both, 'venue-a');
    w.tick(both, 'venue-b');

    // Act
    const reports = [];
    const observed = capturingObservability();
    for (const venue of ['venue-a', 'venue-b', 'marina']) {
      reports.push(await tickPoller(w, venue, { observability: observed }));
    }

    // Assess
    const emailsIn = (venue: string) =>
      w.tripleseat
        .leads(venue)
        .map((lead) => lead.email_address)
        .sort();
    const email = (id: string) => w.hubspot.getContact(id)?.properties['email'];
    expect(emailsIn('venue-a')).toEqual([email(onlyA), email(both)].sort());
    expect(emailsIn('venue-b')).toEqual([email(both)]);
    // The marina is not on Tripleseat: its leads go to its platform (the http destination), only there.
    expect(emailsIn('marina')).toEqual([]);
    expect(w.marinaPlatform.enquiries().map((enquiry) => enquiry.email)).toEqual([email(onlyMarina)]);
    expect(w.tripleseat.allLeads().some((lead) => lead.email_address === email(onlyMarina))).toBe(false);
    expect(w.tripleseat.allLeads().some((lead) => lead.email_address === email(unflagged))).toBe(false);
    expect(reports.map((r) => [r.status, r.created])).toEqual([
      ['completed', 2],
      ['completed', 1],
      ['completed', 1],
    ]);
    for (const [id, venue] of [
      [onlyA, 'venue-a'],
      [both, 'venue-a'],
      [both, 'venue-b'],
      [onlyMarina, 'marina'],
    ] as const) {
      expect(w.hubspot.getContact(id)?.properties[w.flagProperty(venue)]).toBe('false');
    }
    // Each run publishes its metrics under its venue, counting only its own API calls.
    expect(observed.published[0]).toMatchObject({
      dimensions: { venue: 'venue-a' },
      values: {
        SuccessfulRun: { value: 1 },
        RecordsFlagged: { value: 2 },
        RecordsSynced: { value: 2 },
        RecordsRejected: { value: 0 },
        ApiCallsTripleseat: { value: 2 },
        RateLimitedAnswers: { value: 0 },
      },
    });
    expect(observed.published.map((p) => p.dimensions['venue'])).toEqual(['venue-a', 'venue-b', 'marina']);
    const marinaLead = w.marinaPlatform.enquiries()[0];
    expect(marinaLead?.vesselMake).toBe('Boston Whaler');
    expect(marinaLead?.body).toMatchObject({ source: 'hubspot', event: { date: '2027-06-12', guests: 40 } });
    const leadA = w.tripleseat.leads('venue-a').find((lead) => lead.email_address === email(onlyA));
    expect(w.hubspot.getContact(onlyA)?.properties['tripleseat_status_venue_a']).toBe(
      `Sent to Tripleseat (lead ${leadA?.id})`,
    );
    expect(w.hubspot.getContact(onlyA)?.properties['tripleseat_lead_id_venue_a']).toBe(String(leadA?.id));
  });

  it('does nothing on a second tick when nothing new was flagged', async () => {
    const w = world();
    const before = w.tripleseat.allLeads().length;

    const report = await tickPoller(w, 'venue-a');

    expect(report).toMatchObject({ status: 'completed', flagged: 0, created: 0 });
    expect(w.tripleseat.allLeads()).toHaveLength(before);
  });
});
