/**
 * Deterministic, realistically messy registrants: accented and non-Latin names, apostrophes, emails in
 * mixed case or with stray spaces, some without email, some people registered for several events.
 * Everything comes from one seeded PRNG, so the same seed and call sequence give the same people.
 */
import type { RegistrationStatus, WebexAttendeeInput } from './types';

const FIRST_NAMES = [
  'José',
  'Zoë',
  'Søren',
  'Ana-María',
  'Łukasz',
  'Chloé',
  'François',
  'Björn',
  'Siobhán',
  'Thị Lan',
  'Aaron',
  'Mary',
  'Mohammed',
  'Priya',
  'Kwame',
  'Yuki',
  'Olga',
  'Ève',
  'Seán',
  'Ingrid',
  'Luis',
  'Emma',
  'Noah',
  'Fatima',
  'Grace',
  'Oliver',
  'Amélie',
  'Jürgen',
  'Dmitrij',
  'Nia',
  '美咲',
  'Ağa',
] as const;

const LAST_NAMES = [
  'Müller',
  "O'Brien",
  'Núñez',
  'García López',
  'Kowalski',
  'van der Berg',
  'Østergaard',
  'Ó Súilleabháin',
  'Nguyễn',
  'Smith',
  'Johnson',
  "D'Angelo",
  'Schäfer',
  'Lefèvre',
  'Papadopoulos',
  'Okafor',
  'Tanaka',
  'Ivanova',
  'MacDonald',
  'Brontë',
  'Żółkiewski',
  'de la Cruz',
  'Said',
  'Chen',
  'Patel',
  '佐藤',
  'Yılmaz',
] as const;

const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'example.co.uk', 'corp.example'] as const;

export const COMPANIES = [
  'Müller GmbH',
  'Café Olé Ltd',
  'Acme Corp',
  'Nørd Design ApS',
  "O'Brien & Sons",
  'Globex',
  'Initech',
  '株式会社サンプル',
  'Hôtel du Lac SA',
  'Umbrella Events',
] as const;

export const JOB_TITLES = [
  'Event Manager',
  'CEO',
  'Director of Sales',
  'Ingeniera',
  'Procurement',
  'Marketing Lead',
] as const;

export const TICKET_NAMES = [
  'General Admission',
  'VIP',
  'Early Bird',
  'Speaker',
  'Exhibitor',
  'Student',
] as const;

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** `José Müller` -> `jose.muller`: what a person would type as the local part. */
export function asciiLocalPart(firstName: string, lastName: string): string {
  const fold = (value: string): string =>
    value
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[łŁ]/g, 'l')
      .replace(/[øØ]/g, 'o')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '');
  const parts = [fold(firstName), fold(lastName)].filter((part) => part !== '');
  return parts.length > 0 ? parts.join('.') : 'guest';
}

/** The email as typed: sometimes Capitalised, sometimes SHOUTED domain, sometimes padded with spaces. */
export function messUpEmail(random: Random, email: string): string {
  let messy = email;
  const roll = random();
  if (roll < 0.12)
    messy = messy.replace(
      /(^|\.)([a-z])/g,
      (_all, dot: string, letter: string) => dot + letter.toUpperCase(),
    );
  else if (roll < 0.18) messy = messy.replace(/@(.*)$/, (_all, domain: string) => `@${domain.toUpperCase()}`);
  else if (roll < 0.22) messy = messy.toUpperCase();
  if (chance(random, 0.08)) messy = chance(random, 0.5) ? ` ${messy}` : `${messy}  `;
  return messy;
}

export function randomPhone(random: Random): string | null {
  if (chance(random, 0.15)) return null;
  const digits = (count: number): string =>
    Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
  const formats = [
    () => `+1 (555) ${digits(3)}-${digits(4)}`,
    () => `555.${digits(3)}.${digits(4)}`,
    () => `+44 20 ${digits(4)} ${digits(4)}`,
    () => `+49-30-${digits(7)}`,
    () => `0${digits(9)}`,
  ];
  return pick(random, formats)();
}

export function randomStatus(random: Random): RegistrationStatus {
  const roll = random();
  if (roll < 0.75) return 'REGISTERED';
  if (roll < 0.9) return 'ATTENDED';
  return 'CANCELLED';
}

/** A person seen before, to register again (for another event) under the same email. */
export interface KnownPerson {
  /** The clean, lowercase address. */
  email: string;
  /** Events the person is registered for. */
  eventIds: Set<number>;
  firstName: string;
  lastName: string;
}

/**
 * One new registrant. `takenEmails` holds normalised emails already used for fresh people, so a
 * duplicate only ever arises on purpose (a returning person), never by name collision.
 */
export function newRegistrant(
  random: Random,
  takenEmails: Set<string>,
): WebexAttendeeInput & { cleanEmail: string | null } {
  const firstName = pick(random, FIRST_NAMES);
  const lastName = pick(random, LAST_NAMES);
  const local = asciiLocalPart(firstName, lastName);
  const domain = pick(random, DOMAINS);
  let cleanEmail = `${local}@${domain}`;
  for (let n = 2; takenEmails.has(cleanEmail); n++) cleanEmail = `${local}${n}@${domain}`;
  takenEmails.add(cleanEmail);
  const withoutEmail = chance(random, 0.03);
  return {
    cleanEmail: withoutEmail ? null : cleanEmail,
    ...attendeeFields(random, withoutEmail ? null : messUpEmail(random, cleanEmail), firstName, lastName),
  };
}

/** A returning person: same address (differently typed, perhaps), fresh registration details. */
export function returningRegistrant(random: Random, person: KnownPerson): WebexAttendeeInput {
  return attendeeFields(random, messUpEmail(random, person.email), person.firstName, person.lastName);
}

function attendeeFields(
  random: Random,
  email: string | null,
  firstName: string,
  lastName: string,
): WebexAttendeeInput {
  const registrationStatus = randomStatus(random);
  return {
    email,
    externalId: chance(random, 0.4)
      ? `REG-${String(Math.floor(random() * 1_000_000)).padStart(6, '0')}`
      : null,
    profile: {
      firstName: chance(random, 0.05) ? `  ${firstName} ` : firstName,
      lastName: chance(random, 0.02) ? null : chance(random, 0.03) ? lastName.toUpperCase() : lastName,
      company: chance(random, 0.2) ? null : pick(random, COMPANIES),
      jobTitle: chance(random, 0.3) ? null : pick(random, JOB_TITLES),
      phone: randomPhone(random),
    },
    registrationStatus,
    checkedIn: registrationStatus === 'ATTENDED',
    ticketName: pick(random, TICKET_NAMES),
  };
}
