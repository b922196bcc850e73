/**
 * The sandbox's demo portal: the messy contacts real marketers leave behind, flagged for the three demo
 * venues of bin/venues.ts, two Webex events with a few hundred attendees, and a seeded "marketer" that
 * keeps ticking flags while the live view runs.
 *
 * Every seeded contact states what must happen to it (`expect`), written down here independently of the
 * mapper, so `--once` can check the real handlers against it instead of against themselves.
 */
import type { World } from './world';
import { seededRandom } from './sim-kit';
import { defineWebexProperties } from './webex-properties';

/** What the poller must do with a contact for every venue it is flagged for. */
export type Expectation = { lead: true } | { rejectedBecause: RegExp };

export interface DemoContact {
  /** For the summary only (the handlers never see it). */
  name: string;
  properties: Record<string, string>;
  /** Venues whose checkbox is ticked at seed time. */
  flags: string[];
  expect: Expectation;
}

export interface SeededContact extends DemoContact {
  contactId: string;
}

export interface SeededWebexEvent {
  id: number;
  name: string;
  attendees: number;
}

export interface DemoSeed {
  contacts: SeededContact[];
  webexEvents: SeededWebexEvent[];
}

const base = {
  event_date: '2027-06-12',
  company: 'Northwind Traders',
};

/**
 * Label variants ("Company Name" vs "company", "Phone Number") live in the venues' field maps already;
 * the data below covers the rest: missing values, unicode, formats people actually type.
 */
export const DEMO_CONTACTS: readonly DemoContact[] = [
  // --- Harbor Hall (venue-a) ------------------------------------------------------------------
  {
    name: 'José Müller',
    properties: {
      ...base,
      firstname: 'José',
      lastname: 'Müller',
      email: 'jose.mueller@example.com',
      phone: '+49 30 901820',
      guest_count: '80',
      event_notes: 'Company anniversary; wants the terrace.',
    },
    flags: ['venue-a'],
    expect: { lead: true },
  },
  {
    name: "Zoë O'Brien",
    properties: {
      ...base,
      firstname: 'Zoë',
      lastname: "O'Brien",
      email: '  Zoe.OBrien@Example.IE ',
      phone: '(617) 555-0142',
      guest_count: '120',
      event_notes: 'Rehearsal dinner, vegetarian menu please',
    },
    flags: ['venue-a'],
    expect: { lead: true },
  },
  {
    name: 'Priya Raman (no phone)',
    properties: { ...base, firstname: 'Priya', lastname: 'Raman', email: 'priya.raman@example.com' },
    flags: ['venue-a'],
    expect: { rejectedBecause: /phone number/ },
  },
  {
    name: 'Tom Becker (invalid email)',
    properties: {
      ...base,
      firstname: 'Tom',
      lastname: 'Becker',
      email: 'tom.becker@@example',
      phone: '617.555.0199',
    },
    flags: ['venue-a'],
    expect: { rejectedBecause: /email address/ },
  },
  {
    name: 'Morgan Lee (flagged for Venue A and the Marina)',
    properties: {
      ...base,
      firstname: 'Morgan',
      lastname: 'Lee',
      email: 'morgan.lee@example.com',
      phone: '+1 415 555 0111',
      guest_count: '24',
      boat_brand: 'Boston Whaler',
    },
    flags: ['venue-a', 'marina'],
    expect: { lead: true },
  },
  {
    name: 'Chris Nolan (not flagged)',
    properties: {
      ...base,
      firstname: 'Chris',
      lastname: 'Nolan',
      email: 'chris.nolan@example.com',
      phone: '+1 212 555 0100',
    },
    flags: [],
    expect: { lead: true },
  },
  // --- Rooftop Garden (venue-b) ---------------------------------------------------------------
  {
    name: '李雷',
    properties: {
      ...base,
      firstname: '雷',
      lastname: '李',
      email: 'li.lei@example.cn',
      phone: '+86 10 6552 9988',
      guest_count: '60',
      company: '北京贸易有限公司',
    },
    flags: ['venue-b'],
    expect: { lead: true },
  },
  {
    name: 'Ana García',
    properties: {
      ...base,
      firstname: 'Ana',
      lastname: 'García',
      email: 'Ana.Garcia@Example.com',
      phone: '+34 91 123 45 67',
      guest_count: '45',
    },
    flags: ['venue-b'],
    expect: { lead: true },
  },
  {
    name: 'Sam Okafor (guest count "about 40")',
    properties: {
      ...base,
      firstname: 'Sam',
      lastname: 'Okafor',
      email: 'sam.okafor@example.com',
      phone: '+1 646 555 0123',
      guest_count: 'about 40',
    },
    flags: ['venue-b'],
    expect: { rejectedBecause: /guest count/ },
  },
  {
    name: 'Lena Schmidt',
    properties: {
      ...base,
      firstname: 'Lena',
      lastname: 'Schmidt',
      email: 'lena.schmidt@example.de',
      phone: '+49 89 2180 0',
      company: 'Müller & Söhne GmbH',
      guest_count: '150',
    },
    flags: ['venue-b'],
    expect: { lead: true },
  },
  {
    name: 'Kim Park (not flagged)',
    properties: { ...base, firstname: 'Kim', lastname: 'Park', email: 'kim.park@example.kr' },
    flags: [],
    expect: { lead: true },
  },
  // --- The Marina -----------------------------------------------------------------------------
  {
    name: 'Jack Harbor (Grady-White)',
    properties: {
      ...base,
      firstname: 'Jack',
      lastname: 'Harbor',
      email: 'jack@harbor-charters.com',
      phone: '+1 401 555 0177',
      guest_count: '12',
      boat_brand: 'Grady-White',
      event_notes: 'Slip for a 36 ft boat, arriving Friday.',
    },
    flags: ['marina'],
    expect: { lead: true },
  },
  {
    name: 'Søren Kierkegaard (Beneteau)',
    properties: {
      ...base,
      firstname: 'Søren',
      lastname: 'Kierkegaard',
      email: 'soren.k@example.dk',
      phone: '+45 33 12 34 56',
      boat_brand: 'Beneteau',
    },
    flags: ['marina'],
    expect: { lead: true },
  },
  {
    name: 'Dana (no last name)',
    properties: { ...base, firstname: 'Dana', email: 'dana@example.com', phone: '+1 508 555 0190' },
    flags: ['marina'],
    expect: { rejectedBecause: /last name/ },
  },
];

/** The contact the webhook path delivers in `--once`: ticked after the scheduled polls ran. */
export const WEBHOOK_CONTACT: DemoContact = {
  name: 'Olamide Adeyemi (ticked after the poll; webhook)',
  properties: {
    ...base,
    firstname: 'Olamide',
    lastname: 'Adeyemi',
    email: 'olamide.adeyemi@example.ng',
    phone: '+234 1 270 0000',
    guest_count: '200',
  },
  flags: ['venue-b'],
  expect: { lead: true },
};

export const DEMO_WEBEX_EVENTS = [
  { name: 'Hospitality Summit 2026', startDate: '2026-12-03', timeZone: 'America/New_York', attendees: 300 },
  { name: 'Marina Boat Show Preview', startDate: '2027-02-14', timeZone: 'America/New_York', attendees: 150 },
] as const;

/**
 * Prepares the demo portal: Guest Count as the single-line text a web form fills (so "about 40" can
 * exist, as it does in real portals; the world defines it as a number), the Webex properties, then the
 * contacts and their ticks, then the Webex events and attendees.
 */
export function seedDemo(world: World): DemoSeed {
  world.hubspot.defineProperty({
    name: 'guest_count',
    label: 'Guest Count',
    type: 'string',
    fieldType: 'text',
  });
  defineWebexProperties(world.hubspot);
  const contacts = DEMO_CONTACTS.map((contact) => createAndTick(world, contact));
  const webexEvents = DEMO_WEBEX_EVENTS.map(({ attendees, ...event }) => {
    const id = world.webex.addEvent(event);
    world.webex.seedAttendees(id, attendees);
    return { id, name: event.name, attendees };
  });
  return { contacts, webexEvents };
}

export function createAndTick(world: World, contact: DemoContact): SeededContact {
  const contactId = world.hubspot.createContact(contact.properties);
  for (const venueId of contact.flags) world.tick(contactId, venueId);
  return { ...contact, contactId };
}

/** A marketer at work: new contacts (a few of them flawed) and re-ticks, from a seeded generator. */
export class DemoMarketer {
  private readonly random: () => number;
  private seq = 0;

  constructor(
    private readonly world: World,
    seed = 7,
  ) {
    this.random = seededRandom(seed);
  }

  /** Creates and ticks `count` new contacts; returns each tick as (contactId, venueId). */
  newRequests(count: number): Array<{ contactId: string; venueId: string }> {
    return this.newContacts(count).map((contact) => ({
      contactId: contact.contactId,
      venueId: contact.flags[0] as string,
    }));
  }

  /** Creates and ticks `count` new contacts, each with what must happen to it (for the chaos checks). */
  newContacts(count: number): SeededContact[] {
    const created: SeededContact[] = [];
    const venues = this.world.config.venues.map((venue) => venue.id);
    for (let i = 0; i < count; i++) {
      this.seq += 1;
      const first = this.pick(FIRST_NAMES);
      const last = this.pick(LAST_NAMES);
      const properties: Record<string, string> = {
        firstname: first,
        lastname: last,
        email: `${ascii(first)}.${ascii(last)}.${this.seq}@example.org`,
        phone: `+1 617 555 ${String(1000 + this.seq).slice(-4)}`,
        company: this.pick(COMPANIES),
        event_date: '2027-05-20',
        guest_count: String(10 + Math.floor(this.random() * 190)),
      };
      // About one in five is flawed the way real records are.
      const flaw = this.random();
      let expect: Expectation = { lead: true };
      if (flaw < 0.07) {
        delete properties['phone'];
        expect = { rejectedBecause: /phone/ };
      } else if (flaw < 0.13) {
        properties['guest_count'] = `about ${properties['guest_count']}`;
        expect = { rejectedBecause: /guest count/ };
      } else if (flaw < 0.2) {
        properties['email'] = properties['email']!.replace('@', ' at ');
        expect = { rejectedBecause: /email/ };
      }
      const venueId = this.pick(venues);
      if (venueId === 'marina') properties['boat_brand'] = this.pick(BOAT_BRANDS);
      const contactId = this.world.hubspot.createContact(properties);
      this.world.tick(contactId, venueId);
      created.push({
        name: `${first} ${last} #${this.seq}`,
        properties,
        flags: [venueId],
        expect,
        contactId,
      });
    }
    return created;
  }

  /** Ticks again one of the given (already synced) requests: a new request for the same venue. */
  retick(candidates: ReadonlyArray<{ contactId: string; venueId: string }>): {
    contactId: string;
    venueId: string;
  } {
    const chosen = this.pick(candidates);
    this.world.tick(chosen.contactId, chosen.venueId);
    return chosen;
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('DemoMarketer.pick: empty list');
    return item;
  }
}

const FIRST_NAMES = [
  'Aoife',
  'Björn',
  'Chloé',
  'Dmitri',
  'Emeka',
  'Fatima',
  'Grace',
  'Hiro',
  'Inés',
  'Jonas',
];
const LAST_NAMES = [
  'Nguyen',
  'Kowalski',
  'Dubois',
  'Okonkwo',
  'Silva',
  'Haddad',
  'Larsen',
  'Tanaka',
  'Rossi',
];
const COMPANIES = ['Acme Events', 'Blue Harbor LLC', 'Café Lumière', 'Summit Partners', 'Globex'];
const BOAT_BRANDS = ['Grady-White', 'Beneteau', 'Sea Ray', 'Boston Whaler', 'Hinckley'];

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase();
}
