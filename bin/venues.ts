/**
 * The deployment's configuration. Adding a venue is a new entry here (then `venue-sync setup <id>`,
 * fill its secret, `npx cdk deploy`); no code changes. Validated at synth time.
 */
import type { AppConfigInput } from '../shared/config/app-config';

const contactFields = {
  first_name: 'First Name',
  last_name: 'Last Name',
  email_address: 'Email',
  phone_number: 'Phone Number',
  company: 'Company Name',
  event_date: 'Event Date',
  guest_count: 'Guest Count',
} as const;

export const appConfig: AppConfigInput = {
  // Alarm subscribers (docs/runbook.md "Alarms"): alarmEmails: ['ops@example.com'], and optionally
  // alarmTopicArn: a chat channel's SNS topic. A new venue is paused until it says `enabled: true`.
  venues: [
    {
      id: 'venue-a',
      displayName: 'Harbor Hall (Venue A)',
      syncFlagLabel: 'Tripleseat Sync - Venue A',
      fieldMap: { ...contactFields, additional_information: ['Event Notes'] },
      secretName: 'venue-sync/venue-a',
      enabled: true,
      writeBack: {
        status: 'Tripleseat Status - Venue A',
        leadId: 'Tripleseat Lead ID - Venue A',
        syncedAt: 'Tripleseat Synced At - Venue A',
        // What became of the lead, from Tripleseat's webhooks (docs/lead-outcomes.md).
        outcome: 'Tripleseat Outcome - Venue A',
        eventDate: 'Tripleseat Event Date - Venue A',
        lostReason: 'Tripleseat Lost Reason - Venue A',
        bookingLink: 'Tripleseat Booking Link - Venue A',
        outcomeUpdatedAt: 'Tripleseat Outcome Updated - Venue A',
      },
      // With its Tripleseat site id, `venue-sync doctor venue-a` also reads the registered webhook endpoint;
      // with OAuth access, a nightly reconcile catches up missed deliveries:
      // tripleseatSiteId: '<site id>', leadReconcileHour: 3,
    },
    {
      id: 'venue-b',
      displayName: 'Rooftop Garden (Venue B)',
      syncFlagLabel: 'Tripleseat Sync - Venue B',
      fieldMap: { ...contactFields, additional_information: ['Event Notes'] },
      secretName: 'venue-sync/venue-b',
      enabled: true,
      writeBack: { status: 'Tripleseat Status - Venue B' },
    },
    {
      id: 'marina',
      displayName: 'The Marina',
      syncFlagLabel: 'Tripleseat Sync - Marina',
      // The marina books by boat: the brand is read from the "Boat Brand" property.
      fieldMap: { ...contactFields, additional_information: ['Event Notes', 'Boat Brand'] },
      secretName: 'venue-sync/marina',
      enabled: true,
      tripleseatLocationId: '3',
      writeBack: { status: 'Tripleseat Status - Marina' },
      // Not on Tripleseat: its marina platform's enquiry API (docs/adding-a-venue-on-another-platform.md).
      destination: {
        type: 'http',
        name: 'Marina platform',
        url: 'https://api.marina-platform.example/api/v2/enquiries',
        auth: { type: 'api-key', header: 'X-Marina-Key', keyField: 'marinaApiKey' },
        body: {
          customer: {
            firstName: { $field: 'first_name', required: true },
            lastName: { $field: 'last_name' },
            email: { $field: 'email_address', required: true },
            phone: { $field: 'phone_number' },
          },
          vessel: { make: { $field: 'Boat Brand' } },
          event: {
            date: { $field: 'event_date', type: 'date', format: 'YYYY-MM-DD' },
            guests: { $field: 'guest_count', type: 'number' },
          },
          notes: { $field: 'additional_information' },
          source: { $const: 'hubspot' },
        },
        created: { statuses: [200, 201], idPath: '$.enquiry.id' },
        rejected: { statuses: [400, 422], reasonPath: '$.error.detail', errorInCreatedPath: '$.message' },
        retryable: { statuses: [429, 503] },
        lookup: {
          url: 'https://api.marina-platform.example/api/v2/enquiries?email={email}',
          itemsPath: '$.data',
          idPath: '$.id',
          emailPath: '$.contact.email',
          createdAtPath: '$.created_at',
          firstNamePath: '$.contact.first',
          lastNamePath: '$.contact.last',
          phonePath: '$.contact.phone',
        },
      },
    },
  ],
  webex: {
    eventIds: [],
    fieldMap: {
      Email: 'email',
      'First Name': 'profile.firstName',
      'Last Name': 'profile.lastName',
      'Company Name': 'profile.company',
      'Webex Event Name': 'event.name',
      'Webex Registration Status': 'registrationStatus',
      'Webex Checked In': 'checkedIn',
      'Webex Ticket': 'ticketName',
    },
    secretName: 'venue-sync/webex',
  },
  webhookSecretName: 'venue-sync/hubspot-webhook',
};
