/** The dry run's body preview and doctor's destination row, for the demo marina on its platform. */
import { describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { validateAppConfig, type VenueConfig } from '../../shared/config/app-config';
import type { VenuePlan } from '../../shared/sync/plan-venue';
import { checkDestination, destinationBodies, renderDestinationBodies } from '../../ops/destination-check';
import { MARINA_KEY, usePlatform } from './helpers';

const platform = usePlatform();
const marina = (): VenueConfig => {
  const venue = validateAppConfig(appConfig).venues.find((candidate) => candidate.id === 'marina');
  if (!venue) throw new Error('no marina in the demo config');
  return venue;
};

describe('run --dry-run: the body that would be sent', () => {
  it('shows each lead body with values by field name, no personal data', () => {
    const plan = {
      leadsToCreate: [
        {
          contactId: '101',
          fields: ['additional_information', 'email_address', 'first_name', 'last_name', 'phone_number'],
        },
      ],
    } as unknown as VenuePlan; // only leadsToCreate is read

    const bodies = destinationBodies(marina(), plan);

    expect(bodies.destination?.bodies[0]).toEqual({
      contactId: '101',
      body: {
        customer: {
          firstName: '<first_name>',
          lastName: '<last_name>',
          email: '<email_address>',
          phone: '<phone_number>',
        },
        vessel: { make: '<Boat Brand>' },
        event: {},
        notes: '<additional_information>',
        source: 'hubspot',
      },
    });
    expect(renderDestinationBodies(bodies).join('\n')).toContain(
      'Bodies sent to Marina platform (POST https://api.marina-platform.example/api/v2/enquiries)',
    );
  });
});

describe('doctor: destination row', () => {
  it('passes with the right key, fails naming the key (never its value) otherwise', async () => {
    const p = platform();

    const good = await checkDestination(marina(), { destination: { marinaApiKey: MARINA_KEY } }, p.url);
    const wrong = await checkDestination(marina(), { destination: { marinaApiKey: 'nope-9876' } }, p.url);
    const none = await checkDestination(marina(), {}, p.url);

    expect(good).toEqual([expect.objectContaining({ status: 'pass' })]);
    expect(wrong).toEqual([expect.objectContaining({ status: 'fail' })]);
    expect(JSON.stringify(wrong)).not.toContain('nope-9876');
    expect(none[0]?.detail).toContain('destination.marinaApiKey');
  });
});
