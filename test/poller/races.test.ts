/**
 * Races a marketer or a second run can cause while a request is in flight: a run that outlives the old
 * fixed lease, a re-tick during the create call, and an email corrected between a lost answer and the
 * retry. Each drives the real handler against the simulators.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../lambdas/venue-poller/handler';
import type { World } from '../../sandbox/world';
import type { PollReport, PollStep } from '../../shared/sync/poll-venue';
import { capturingObservability, tickPoller, useWorld, validContact } from '../helpers/world';

const world = useWorld();

function leadsFor(w: World, venueId: string, email: string | null | undefined) {
  return w.tripleseat.leads(venueId).filter((lead) => lead.email_address === email);
}

function handlerFor(
  w: World,
  venueId: string,
  onStep?: (step: PollStep, contactId: string) => Promise<void>,
) {
  return createHandler(w.pollerEnv(venueId), {
    observability: capturingObservability(),
    now: () => w.clock.now(),
    ...(onStep ? { onStep } : {}),
  });
}

/**
 * An HTTP proxy to the local DynamoDB that answers 500 to every BatchWriteItem marking ledger entries DONE
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
 */
async function failingDoneBatches(
  endpoint: string,
): Promise<{ url: string; refused: number; close(): Promise<void> }> {
  const state = { refused: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target.endsWith('.BatchWriteItem') && body.includes('"DONE"')) {
        state.refused += 1;
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' }));
        return;
      }
      const upstream = httpRequest(
        new URL(request.url ?? '/', endpoint),
        { method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Engine: pollVenue races', () => {
  it('holds the lease as long as the invocation can run: a second run 400 s into a 14-minute run skips', async () => {
    // Prepare: a 15-minute venue (timeout 840 s); the second run starts while the first is mid-create
    const w = world();
    const contacts = [validContact(w), validContact(w), validContact(w)];
    for (const contact of contacts) w.tick(contact, 'venue-b');
    let second: PollReport | undefined;
    const first = handlerFor(w, 'venue-b', async (step, contactId) => {
      if (step !== 'sending' || contactId !== contacts[0] || second) return;
      w.clock.advance(400_000);
      second = await tickPoller(w, 'venue-b', { remainingMs: () => 840_000 });
    });

    // Act
    const report = await first({}, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 840_000 });

    // Assess: the first run finished everything, the second never touched a request
    expect(second?.status).toBe('lease-held');
    expect(report).toMatchObject({ status: 'completed', created: 3 });
    for (const contact of contacts) {
      expect(leadsFor(w, 'venue-b', w.hubspot.getContact(contact)?.properties['email'])).toHaveLength(1);
    }
  });

  it('keeps a tick made while the older request was in flight: one lead per tick', async () => {
    // Prepare: the marketer unticks and ticks again while the first request's lead is being created
    const w = world();
    const contact = validContact(w);
    const flag = w.flagProperty('venue-a');
    w.tick(contact, 'venue-a');
    const first = handlerFor(w, 'venue-a', async (step, contactId) => {
      if (step !== 'lead-created' || contactId !== contact) return;
      w.clock.advance(1_000);
      w.hubspot.setProperty(contact, flag, 'false');
      w.clock.advance(1_000);
      w.tick(contact, 'venue-a');
    });

    // Act
    const report = await first({}, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 240_000 });
    const flagAfterFirst = w.hubspot.getContact(contact)?.properties[flag];
    const next = await tickPoller(w, 'venue-a');

    // Assess
    expect(report).toMatchObject({ created: 1, reticksKept: 1 });
    expect(flagAfterFirst).toBe('true');
    expect(next).toMatchObject({ created: 1 });
    expect(leadsFor(w, 'venue-a', w.hubspot.getContact(contact)?.properties['email'])).toHaveLength(2);
    expect(w.hubspot.getContact(contact)?.properties[flag]).toBe('false');
  });

  it('keeps a tick made during the create even when the DONE batch after the clear fails', async () => {
    // Prepare: as above, and the table refuses the batch that marks the page DONE (a real HTTP 500 from a
    // proxy in front of the local DynamoDB; every other call passes through)
    const w = world();
    const contact = validContact(w);
    const flag = w.flagProperty('venue-a');
    w.tick(contact, 'venue-a');
    const table = await failingDoneBatches(w.dynamo.endpoint);
    const first = createHandler(
      { ...w.pollerEnv('venue-a'), AWS_ENDPOINT_URL_DYNAMODB: table.url },
      {
        observability: capturingObservability(),
        now: () => w.clock.now(),
        onStep: async (step, contactId) => {
          if (step !== 'lead-created' || contactId !== contact) return;
          w.clock.advance(1_000);
          w.hubspot.setProperty(contact, flag, 'false');
          w.clock.advance(1_000);
          w.tick(contact, 'venue-a');
        },
      },
    );

    // Act
    const failed = await first(
      {},
      { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 240_000 },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    await table.close();
    const flagAfterFirst = w.hubspot.getContact(contact)?.properties[flag];
    const next = await tickPoller(w, 'venue-a');

    // Assess: the failed DONE cost nothing but the DONE; the newer tick became its own lead
    expect(table.refused).toBeGreaterThan(0);
    expect(failed).toBeInstanceOf(Error);
    expect(flagAfterFirst).toBe('true');
    expect(next).toMatchObject({ created: 1 });
    expect(leadsFor(w, 'venue-a', w.hubspot.getContact(contact)?.properties['email'])).toHaveLength(2);
  });

  it('finds the earlier lead by what was sent when the email was corrected after the answer was lost', async () => {
    // Prepare: the create answer is lost, then a marketer fixes a typo in the email
    const w = world();
    const contact = validContact(w, { email: `ada.typo.${randomUUID().slice(0, 6)}@exmaple.com` });
    const sentEmail = w.hubspot.getContact(contact)?.properties['email'];
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });
    const lost = await tickPoller(w, 'venue-b');
    w.hubspot.setProperty(contact, 'email', `ada.fixed.${randomUUID().slice(0, 6)}@example.com`);

    // Act
    const retry = await tickPoller(w, 'venue-b');

    // Assess: the lookup searched by the email that was sent; no second lead under the new email
    expect(lost).toMatchObject({ retried: 1, created: 0 });
    expect(retry).toMatchObject({ created: 1 });
    expect(leadsFor(w, 'venue-b', sentEmail)).toHaveLength(1);
    expect(leadsFor(w, 'venue-b', w.hubspot.getContact(contact)?.properties['email'])).toHaveLength(0);
  });

  it("never takes the lead of an earlier request of the same contact as this request's lead", async () => {
    // Prepare: a first request made a lead; a re-tick's create answer is lost
    const w = world();
    const contact = validContact(w);
    const email = w.hubspot.getContact(contact)?.properties['email'];
    w.tick(contact, 'venue-b');
    await tickPoller(w, 'venue-b');
    w.clock.advance(60_000);
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });
    await tickPoller(w, 'venue-b');

    // Act
    await tickPoller(w, 'venue-b');

    // Assess: two ticks, two leads, each recorded once
    expect(leadsFor(w, 'venue-b', email)).toHaveLength(2);
  });
});
