/**
 * Fields the Tripleseat lead form API accepts (support article 205161948 "Lead Form API endpoint").
 * https://support.tripleseat.com/hc/en-us/articles/205161948
 */
export const TRIPLESEAT_LEAD_FIELDS = [
  'first_name',
  'last_name',
  'email_address',
  'phone_number',
  'contact_preference',
  'company',
  'event_description',
  'event_date',
  'start_time',
  'end_time',
  'guest_count',
  'additional_information',
  'email_opt_in',
  'lead_source_id',
  'referral_source_id',
  'referral_source_other',
] as const;

export type TripleseatLeadField = (typeof TRIPLESEAT_LEAD_FIELDS)[number];

/** The lead form rejects a lead without these. */
export const REQUIRED_LEAD_FIELDS = ['first_name', 'last_name', 'email_address', 'phone_number'] as const;
