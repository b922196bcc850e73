/**
 * Contract of the Webex Events simulator, driven by the real graphql-request client the adapter uses.
 */
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  printSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../sandbox/sim-kit';
import {
  WEBEX_REDUCED_SCHEMA_PATH,
  WEBEX_SCHEMA_PATH,
  WebexSimulator,
  encodeCursor,
  type WebexAttendee,
} from '../../sandbox/webex';

const TOKEN = 'sk_test_venue_sync';

const EVENTS = gql`
  query Events($first: Int, $after: String) {
    eventsConnection(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          name
          startDate
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
    }
  }
`;

const ATTENDEES = gql`
  query Attendees($eventId: Int!, $first: Int, $after: String) {
    attendeesConnection(eventId: $eventId, first: $first, after: $after) {
      nodes {
        id
        externalId
        email
        profile {
          firstName
          lastName
          company
          phone
        }
        registrationStatus
        checkedIn
        ticketName
        updatedAt
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
    }
  }
`;

interface EventsPage {
  eventsConnection: {
    edges: Array<{ cursor: string; node: { id: number; name: string; startDate: string | null } }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    totalCount: number;
  };
}

interface AttendeesPage {
  attendeesConnection: {
    nodes: Array<Omit<WebexAttendee, 'eventId' | 'profile'> & { profile: Record<string, string | null> }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    totalCount: number;
  };
}

describe('Class: WebexSimulator', () => {
  let clock: SimClock;
  let sim: WebexSimulator;
  let client: GraphQLClient;

  beforeEach(async () => {
    clock = SimClock.manual();
    sim = new WebexSimulator({
      clock,
      tokens: [TOKEN],
      secondlyCostLimit: 500,
      dailyCostLimit: 2_000,
      seed: 11,
    });
    await sim.start();
    client = new GraphQLClient(sim.url, { headers: { authorization: `Bearer ${TOKEN}` } });
  });

  afterEach(async () => {
    await sim.close();
  });

  async function allAttendees(
    eventId: number,
    first: number,
  ): Promise<AttendeesPage['attendeesConnection'][]> {
    const pages: AttendeesPage['attendeesConnection'][] = [];
    let after: string | null = null;
    do {
      const page: AttendeesPage = await client.request<AttendeesPage>(ATTENDEES, { eventId, first, after });
      pages.push(page.attendeesConnection);
      after = page.attendeesConnection.pageInfo.hasNextPage
        ? page.attendeesConnection.pageInfo.endCursor
        : null;
      clock.advance(1000); // a fresh per-second budget for every page
    } while (after);
    return pages;
  }

  describe('Method: eventsConnection', () => {
    it('pages events with base64 [id] cursors', async () => {
      // Prepare
      const ids = ['Spring Gala', 'Summer Expo', 'Autumn Summit', 'Winter Ball', 'Café Night'].map((name) =>
        sim.addEvent({ name, startDate: '2026-12-01T18:00:00Z' }),
      );

      // Act
      const first = await client.request<EventsPage>(EVENTS, { first: 2 });
      const second = await client.request<EventsPage>(EVENTS, {
        first: 2,
        after: first.eventsConnection.pageInfo.endCursor,
      });
      const last = await client.request<EventsPage>(EVENTS, {
        first: 2,
        after: second.eventsConnection.pageInfo.endCursor,
      });

      // Assess
      const cursorOf = (id: number | undefined): string =>
        Buffer.from(JSON.stringify([id])).toString('base64');
      expect(first.eventsConnection.edges.map((edge) => edge.cursor)).toEqual([
        cursorOf(ids[0]),
        cursorOf(ids[1]),
      ]);
      expect(first.eventsConnection.pageInfo).toEqual({ endCursor: cursorOf(ids[1]), hasNextPage: true });
      expect(first.eventsConnection.totalCount).toBe(5);
      expect(last.eventsConnection.pageInfo.hasNextPage).toBe(false);
      const seen = [first, second, last].flatMap((page) =>
        page.eventsConnection.edges.map((edge) => edge.node.id),
      );
      expect(seen).toEqual(ids);
      expect(last.eventsConnection.edges[0]?.node).toEqual({
        id: ids[4],
        name: 'Café Night',
        startDate: '2026-12-01T18:00:00Z',
      });
    });

    it('answers null for an unknown event and a RECORD_NOT_FOUND error for its attendees', async () => {
      // Act
      const event = await client.request<{ event: null }>(gql`
        {
          event(id: 1) {
            id
          }
        }
      `);
      const error = await client
        .request(ATTENDEES, { eventId: 1, first: 10 })
        .catch((caught: unknown) => caught);

      // Assess
      expect(event).toEqual({ event: null });
      expect(error).toBeInstanceOf(ClientError);
      const response = (error as ClientError).response;
      expect(response.status).toBe(200);
      expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'RECORD_NOT_FOUND' } });
    });
  });

  describe('Method: attendeesConnection', () => {
    it('pages 250 messy people with cursors until hasNextPage is false', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      const seeded = sim.seedAttendees(eventId, 250);

      // Act
      const pages = await allAttendees(eventId, 100);

      // Assess
      expect(pages.map((page) => page.nodes.length)).toEqual([100, 100, 50]);
      expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages[0]?.totalCount).toBe(250);
      const nodes = pages.flatMap((page) => page.nodes);
      expect(nodes.map((node) => node.id)).toEqual(seeded.map((attendee) => attendee.id));
      expect(new Set(nodes.map((node) => node.id)).size).toBe(250);
      // The data is messy on purpose: accents, missing emails, mixed case and padded addresses.
      expect(nodes.some((node) => /[^\u0020-\u007e]/.test(node.profile.firstName ?? ''))).toBe(true);
      expect(nodes.some((node) => node.email === null)).toBe(true);
      expect(nodes.some((node) => node.email !== null && node.email !== node.email.toLowerCase())).toBe(true);
      expect(nodes.some((node) => node.email !== null && node.email !== node.email.trim())).toBe(true);
      expect(new Set(nodes.map((node) => node.registrationStatus))).toEqual(
        new Set(['REGISTERED', 'CANCELLED', 'ATTENDED']),
      );
    });

    it('generates the same people for the same seed, and some people across events', () => {
      // Prepare
      const twin = new WebexSimulator({ clock, seed: 11 });
      const a = sim.addEvent({ name: 'A' });
      const b = sim.addEvent({ name: 'B' });
      const twinEvent = twin.addEvent({ name: 'A' });

      // Act
      const people = sim.seedAttendees(a, 100);
      const twinPeople = twin.seedAttendees(twinEvent, 100);
      const second = sim.seedAttendees(b, 100);

      // Assess
      expect(twinPeople.map((person) => person.email)).toEqual(people.map((person) => person.email));
      const normalize = (email: string | null): string | null => email?.trim().toLowerCase() ?? null;
      const inA = new Set(people.map((person) => normalize(person.email)).filter(Boolean));
      expect(second.filter((person) => inA.has(normalize(person.email))).length).toBeGreaterThan(0);
    });

    it('rollIds re-issues ids but keeps the people', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      sim.seedAttendees(eventId, 30);
      const before = (await allAttendees(eventId, 50)).flatMap((page) => page.nodes);

      // Act
      const rolled = sim.rollIds(eventId);
      const after = (await allAttendees(eventId, 50)).flatMap((page) => page.nodes);

      // Assess
      expect(rolled).toHaveLength(30);
      expect(after.map((node) => node.email)).toEqual(before.map((node) => node.email));
      expect(after.map((node) => node.updatedAt)).toEqual(before.map((node) => node.updatedAt));
      const beforeIds = new Set(before.map((node) => node.id));
      expect(after.every((node) => !beforeIds.has(node.id))).toBe(true);
    });

    it('mutateRandomly changes the chosen share of people and stamps updatedAt', () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      sim.seedAttendees(eventId, 50);
      const before = sim.attendees(eventId);
      clock.advance(60_000);

      // Act
      const changed = sim.mutateRandomly(eventId, 0.1);

      // Assess
      const after = sim.attendees(eventId);
      expect(changed).toHaveLength(5);
      // A real field change each, not only a new updatedAt.
      const fieldsOf = (attendee: WebexAttendee | undefined): string =>
        JSON.stringify({ ...attendee, updatedAt: undefined });
      const differing = after.filter((attendee, index) => fieldsOf(attendee) !== fieldsOf(before[index]));
      expect(differing.map((attendee) => attendee.id).sort()).toEqual(
        changed.map((attendee) => attendee.id).sort(),
      );
      expect(changed.every((attendee) => attendee.updatedAt === new Date(clock.now()).toISOString())).toBe(
        true,
      );
    });

    it('add, change and cancel show up in the API', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      const added = sim.addAttendee(eventId, {
        email: 'Zoe.OBrien@Example.ie ',
        profile: { firstName: 'Zoë', lastName: "O'Brien" },
        ticketName: 'VIP',
      });

      // Act
      sim.changeAttendee(eventId, added.id, { profile: { company: 'Café Olé Ltd' } });
      sim.cancelAttendee(eventId, added.id);
      const page = await client.request<AttendeesPage>(ATTENDEES, { eventId, first: 10 });

      // Assess
      expect(page.attendeesConnection.nodes).toEqual([
        expect.objectContaining({
          id: added.id,
          email: 'Zoe.OBrien@Example.ie ',
          profile: { firstName: 'Zoë', lastName: "O'Brien", company: 'Café Olé Ltd', phone: null },
          registrationStatus: 'CANCELLED',
          checkedIn: false,
        }),
      ]);
    });
  });

  describe('Method: authentication', () => {
    it('answers 401 TOKEN_IS_REQUIRED without a token, 400 INVALID_TOKEN / TOKEN_IS_EXPIRED otherwise', async () => {
      // Prepare
      const anonymous = new GraphQLClient(sim.url);
      const stranger = new GraphQLClient(sim.url, { headers: { authorization: 'Bearer sk_test_nobody' } });

      // Act
      const missing = await anonymous.request(EVENTS, { first: 1 }).catch((caught: unknown) => caught);
      const invalid = await stranger.request(EVENTS, { first: 1 }).catch((caught: unknown) => caught);
      sim.expireToken(TOKEN);
      const expired = await client.request(EVENTS, { first: 1 }).catch((caught: unknown) => caught);

      // Assess
      expect(missing).toBeInstanceOf(ClientError);
      expect((missing as ClientError).response.status).toBe(401);
      expect(JSON.parse((missing as ClientError).response.body as string)).toEqual({
        message: 'Authorization token is required.',
        extensions: { code: 'TOKEN_IS_REQUIRED' },
      });
      expect((invalid as ClientError).response.status).toBe(400);
      expect((invalid as ClientError).response.extensions).toEqual({ code: 'INVALID_TOKEN' });
      expect((expired as ClientError).response.status).toBe(400);
      expect((expired as ClientError).response.extensions).toEqual({ code: 'TOKEN_IS_EXPIRED' });
    });
  });

  describe('Method: cost-based limits', () => {
    it('reports cost usage in X-Secondly-Call-Limit and X-Daily-Call-Limit', async () => {
      // Prepare
      sim.addEvent({ name: 'Conference' });

      // Act
      const first = await client.rawRequest(EVENTS, { first: 10 });
      const second = await client.rawRequest(EVENTS, { first: 5 });
      clock.advance(1000);
      const third = await client.rawRequest(EVENTS, {});

      // Assess
      expect(first.headers.get('x-secondly-call-limit')).toBe('11/500');
      expect(second.headers.get('x-secondly-call-limit')).toBe('17/500');
      expect(second.headers.get('x-daily-call-limit')).toBe('17/2000');
      expect(third.headers.get('x-secondly-call-limit')).toBe('21/500'); // default page size 20
      expect(third.headers.get('x-daily-call-limit')).toBe('38/2000');
    });

    it('answers 429 MAX_COST_EXCEEDED with X-Secondly-Retry-After, then recovers', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      clock.advance(250);
      for (let i = 0; i < 5; i++) await client.request(ATTENDEES, { eventId, first: 100 }); // 5 x 101 = 505

      // Act
      const error = await client
        .request(ATTENDEES, { eventId, first: 100 })
        .catch((caught: unknown) => caught);
      const retryAfterMs = Number((error as ClientError).response.headers.get('x-secondly-retry-after'));
      clock.advance(retryAfterMs);
      const recovered = await client.rawRequest(ATTENDEES, { eventId, first: 100 });

      // Assess
      expect(error).toBeInstanceOf(ClientError);
      const response = (error as ClientError).response;
      expect(response.status).toBe(429);
      expect(response.headers.get('x-secondly-call-limit')).toBe('505/500');
      expect(retryAfterMs).toBe(750);
      expect(JSON.parse(response.body as string)).toEqual({
        message: expect.any(String),
        extensions: {
          code: 'MAX_COST_EXCEEDED',
          cost: 101,
          availableCost: 0,
          threshold: 500,
          dailyThreshold: 2000,
          dailyAvailableCost: 1495,
        },
      });
      expect(recovered.headers.get('x-secondly-call-limit')).toBe('101/500');
    });

    it('answers 429 with dailyAvailableCost 0 and X-Daily-Retry-After once the day is spent', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      for (let i = 0; i < 20; i++) {
        await client.request(ATTENDEES, { eventId, first: 100 }); // 20 x 101 = 2020 >= 2000
        clock.advance(1000);
      }

      // Act
      const error = await client.request(ATTENDEES, { eventId, first: 1 }).catch((caught: unknown) => caught);
      clock.advance(Number((error as ClientError).response.headers.get('x-daily-retry-after')) * 1000);
      const nextDay = await client.rawRequest(ATTENDEES, { eventId, first: 1 });

      // Assess
      const response = (error as ClientError).response;
      expect(response.status).toBe(429);
      expect(response.extensions).toMatchObject({
        code: 'MAX_COST_EXCEEDED',
        dailyAvailableCost: 0,
        cost: 2,
      });
      expect(response.headers.get('x-daily-call-limit')).toBe('2020/2000');
      expect(nextDay.headers.get('x-daily-call-limit')).toBe('2/2000');
    });

    it('answers 413 QUERY_TOO_COMPLEX for a page above 100', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });

      // Act
      const error = await client
        .request(ATTENDEES, { eventId, first: 101 })
        .catch((caught: unknown) => caught);

      // Assess
      expect((error as ClientError).response.status).toBe(413);
      expect((error as ClientError).response.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    });
  });

  describe('Method: cursors', () => {
    it('encodes an id as the official SDK fixtures do', () => {
      // Assess
      expect([2, 4, 7, 8].map(encodeCursor)).toEqual(['WzJd', 'WzRd', 'Wzdd', 'Wzhd']);
    });

    it('resumes after a cursor by id, so people re-issued behind it are served again', async () => {
      // Prepare
      const eventId = sim.addEvent({ name: 'Conference' });
      sim.seedAttendees(eventId, 10);
      const first = await client.request<AttendeesPage>(ATTENDEES, { eventId, first: 4 });

      // Act
      sim.rollIds(eventId);
      const rest = await client.request<AttendeesPage>(ATTENDEES, {
        eventId,
        first: 100,
        after: first.attendeesConnection.pageInfo.endCursor,
      });

      // Assess: every re-issued id is above the saved cursor's id, so the pass serves all 10 again.
      expect(rest.attendeesConnection.nodes).toHaveLength(10);
      expect(rest.attendeesConnection.nodes.map((node) => node.id)).toEqual(
        sim.attendees(eventId).map((attendee) => attendee.id),
      );
    });
  });

  describe('Method: schema', () => {
    it('answers introspection with the schema in sandbox/webex/schema.graphql', async () => {
      // Act
      const result = await client.request<IntrospectionQuery>(getIntrospectionQuery());

      // Assess
      expect(printSchema(buildClientSchema(result))).toBe(
        printSchema(buildSchema(readFileSync(WEBEX_SCHEMA_PATH, 'utf8'))),
      );
    });

    it("serves schema-reduced.graphql with schemaMode 'reduced' and refuses a query naming a missing field", async () => {
      // Prepare
      const reduced = new WebexSimulator({ clock, tokens: [TOKEN], schemaMode: 'reduced' });
      await reduced.start();
      const reducedClient = new GraphQLClient(reduced.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      const eventId = reduced.addEvent({ name: 'Conference' });
      reduced.seedAttendees(eventId, 3);

      try {
        // Act
        const introspected = await reducedClient.request<IntrospectionQuery>(getIntrospectionQuery());
        const refused = await reducedClient
          .request(ATTENDEES, { eventId, first: 10 })
          .catch((caught: unknown) => caught);
        const served = await reducedClient.request<AttendeesPage>(
          gql`
            query ($eventId: Int!) {
              attendeesConnection(eventId: $eventId, first: 10) {
                nodes {
                  id
                  externalId
                  email
                  profile {
                    firstName
                    lastName
                  }
                }
                pageInfo {
                  endCursor
                  hasNextPage
                }
              }
            }
          `,
          { eventId },
        );

        // Assess
        expect(printSchema(buildClientSchema(introspected))).toBe(
          printSchema(buildSchema(readFileSync(WEBEX_REDUCED_SCHEMA_PATH, 'utf8'))),
        );
        expect(refused).toBeInstanceOf(ClientError);
        expect((refused as ClientError).response.status).toBe(200);
        expect(JSON.stringify((refused as ClientError).response.errors)).toMatch(/company/);
        expect(served.attendeesConnection.nodes).toHaveLength(3);
      } finally {
        await reduced.close();
      }
    });
  });
});
