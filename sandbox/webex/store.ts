/**
 * The simulator's events and attendees. Attendees keep their registration order; their Int ids are
 * global (one sequence across events) and can be re-issued by `rollIds()` while the people stay.
 */
import type { SimClock } from '../sim-kit';
import {
  COMPANIES,
  JOB_TITLES,
  TICKET_NAMES,
  chance,
  newRegistrant,
  pick,
  randomPhone,
  returningRegistrant,
  type KnownPerson,
  type Random,
} from './people';
import type { RolledId, WebexAttendee, WebexAttendeeInput, WebexEvent, WebexEventInput } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Share of seeded registrants who are people already registered for another event. */
const RETURNING_SHARE = 0.1;

export class WebexStore {
  private readonly events: WebexEvent[] = [];
  private readonly attendeesByEvent = new Map<number, WebexAttendee[]>();
  private readonly takenEmails = new Set<string>();
  private readonly knownPeople: KnownPerson[] = [];
  private nextEventId: number;
  private nextAttendeeId: number;

  constructor(
    private readonly clock: SimClock,
    private readonly random: Random,
  ) {
    this.nextEventId = 4_000 + Math.floor(random() * 1_000);
    this.nextAttendeeId = 200_000 + Math.floor(random() * 100_000);
  }

  addEvent(input: WebexEventInput): number {
    const event: WebexEvent = {
      id: this.nextEventId++,
      name: input.name,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
      timeZone: input.timeZone ?? null,
      groups: input.groups ?? null,
    };
    this.events.push(event);
    this.attendeesByEvent.set(event.id, []);
    return event.id;
  }

  /** Live references, for the resolvers; callers outside the simulator get copies. */
  listEvents(): WebexEvent[] {
    return this.events;
  }

  findEvent(id: number): WebexEvent | undefined {
    return this.events.find((event) => event.id === id);
  }

  /** Live references in registration order; undefined for an unknown event. */
  listAttendees(eventId: number): WebexAttendee[] | undefined {
    return this.attendeesByEvent.get(eventId);
  }

  seedAttendees(eventId: number, count: number): WebexAttendee[] {
    const list = this.requireAttendees(eventId);
    const created: WebexAttendee[] = [];
    for (let i = 0; i < count; i++) {
      const returning = this.knownPeople.filter((person) => !person.eventIds.has(eventId));
      let input: WebexAttendeeInput;
      if (returning.length > 0 && chance(this.random, RETURNING_SHARE)) {
        const person = pick(this.random, returning);
        person.eventIds.add(eventId);
        input = returningRegistrant(this.random, person);
      } else {
        const { cleanEmail, ...fresh } = newRegistrant(this.random, this.takenEmails);
        if (cleanEmail && fresh.profile?.firstName && fresh.profile.lastName) {
          this.knownPeople.push({
            email: cleanEmail,
            eventIds: new Set([eventId]),
            firstName: fresh.profile.firstName.trim(),
            lastName: fresh.profile.lastName,
          });
        }
        input = fresh;
      }
      // Seeded people registered some time in the last 30 days.
      const updatedAt = new Date(this.clock.now() - Math.floor(this.random() * 30 * DAY_MS)).toISOString();
      const attendee = this.build(eventId, input, updatedAt);
      list.push(attendee);
      created.push(attendee);
    }
    return created;
  }

  addAttendee(eventId: number, input: WebexAttendeeInput): WebexAttendee {
    const attendee = this.build(eventId, input, this.nowIso());
    this.requireAttendees(eventId).push(attendee);
    return attendee;
  }

  changeAttendee(eventId: number, attendeeId: number, patch: WebexAttendeeInput): WebexAttendee {
    const attendee = this.requireAttendee(eventId, attendeeId);
    const { profile, ...rest } = patch;
    Object.assign(attendee, rest);
    Object.assign(attendee.profile, profile);
    attendee.updatedAt = this.nowIso();
    return attendee;
  }

  cancelAttendee(eventId: number, attendeeId: number): WebexAttendee {
    return this.changeAttendee(eventId, attendeeId, { registrationStatus: 'CANCELLED', checkedIn: false });
  }

  /**
   * Re-issues the Int id of every attendee (of one event, or all): the same people, new numbers, in the
   * same order. `updatedAt` does not move, since nothing about the person changed.
   */
  rollIds(eventId?: number): RolledId[] {
    const eventIds = eventId === undefined ? [...this.attendeesByEvent.keys()] : [eventId];
    // A gap, so that new ids are not simply old ids + n.
    this.nextAttendeeId += 1 + Math.floor(this.random() * 1_000);
    const rolled: RolledId[] = [];
    for (const id of eventIds) {
      for (const attendee of this.requireAttendees(id)) {
        const after = this.nextAttendeeId++;
        rolled.push({ eventId: id, before: attendee.id, after, email: attendee.email });
        attendee.id = after;
      }
    }
    return rolled;
  }

  /** Changes about `fraction` of the event's attendees, one field-level change each; returns them. */
  mutateRandomly(eventId: number, fraction: number): WebexAttendee[] {
    const list = this.requireAttendees(eventId);
    const count = Math.round(list.length * Math.min(1, Math.max(0, fraction)));
    const order = list.map((_attendee, index) => index);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order.slice(0, count).map((index) => this.mutateOne(list[index] as WebexAttendee));
  }

  private mutateOne(attendee: WebexAttendee): WebexAttendee {
    const profile = attendee.profile;
    const mutations: Array<() => void> = [
      () =>
        (profile.company = pick(
          this.random,
          COMPANIES.filter((company) => company !== profile.company),
        )),
      () =>
        (profile.jobTitle = pick(
          this.random,
          JOB_TITLES.filter((title) => title !== profile.jobTitle),
        )),
      () => {
        const phone = randomPhone(this.random);
        profile.phone =
          phone !== null && phone !== profile.phone ? phone : `${profile.phone ?? '+1 (555) 010'}-1`;
      },
      // Status moves on: registered people check in, attendees cancel late, cancelled people re-register.
      () => {
        const next = { REGISTERED: 'ATTENDED', ATTENDED: 'CANCELLED', CANCELLED: 'REGISTERED' } as const;
        attendee.registrationStatus = next[attendee.registrationStatus];
        attendee.checkedIn = attendee.registrationStatus === 'ATTENDED';
      },
      () =>
        (attendee.ticketName = pick(
          this.random,
          TICKET_NAMES.filter((name) => name !== attendee.ticketName),
        )),
      () => (profile.lastName = `${profile.lastName ?? 'Smith'}-Okafor`),
      // Same address, typed differently: a change to the raw value only.
      () => {
        if (!attendee.email) return void (profile.company = pick(this.random, COMPANIES));
        const clean = attendee.email.trim().toLowerCase();
        attendee.email = attendee.email === clean ? capitalise(clean) : clean;
      },
    ];
    pick(this.random, mutations)();
    attendee.updatedAt = this.nowIso();
    return attendee;
  }

  private build(eventId: number, input: WebexAttendeeInput, updatedAt: string): WebexAttendee {
    const registrationStatus = input.registrationStatus ?? 'REGISTERED';
    return {
      id: this.nextAttendeeId++,
      eventId,
      externalId: input.externalId ?? null,
      email: input.email ?? null,
      profile: {
        firstName: input.profile?.firstName ?? null,
        lastName: input.profile?.lastName ?? null,
        company: input.profile?.company ?? null,
        jobTitle: input.profile?.jobTitle ?? null,
        phone: input.profile?.phone ?? null,
      },
      registrationStatus,
      checkedIn: input.checkedIn ?? registrationStatus === 'ATTENDED',
      ticketName: input.ticketName ?? null,
      updatedAt,
    };
  }

  private requireAttendees(eventId: number): WebexAttendee[] {
    const list = this.attendeesByEvent.get(eventId);
    if (!list) throw new Error(`WebexSimulator: unknown event ${eventId}`);
    return list;
  }

  private requireAttendee(eventId: number, attendeeId: number): WebexAttendee {
    const attendee = this.requireAttendees(eventId).find((candidate) => candidate.id === attendeeId);
    if (!attendee) throw new Error(`WebexSimulator: no attendee ${attendeeId} in event ${eventId}`);
    return attendee;
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** `jose.muller@example.com` -> `Jose.Muller@Example.com` */
function capitalise(email: string): string {
  return email.replace(
    /(^|[.@])([a-z])/g,
    (_all, separator: string, letter: string) => separator + letter.toUpperCase(),
  );
}
