/** Key builders for the single-table layout of docs/design.md section 4; the only place keys are spelled. */
export const keys = {
  venue: (venueId: string) => `VENUE#${venueId}`,
  ledger: (contactId: string, flagSetAt: string) => `LEAD#${contactId}#${flagSetAt}`,
  ledgerPrefix: 'LEAD#',
  lease: 'LEASE',
  checkpoint: 'CHECKPOINT',
  webexEvent: (eventId: string | number) => `WEBEX#${eventId}`,
  person: (normalizedEmail: string) => `PERSON#${normalizedEmail}`,
  personPrefix: 'PERSON#',
  quarantine: (source: string) => `QUARANTINE#${source}`,
  /** Quarantine sources: one per venue poller, one for the Webex sync. */
  venueSource: (venueId: string) => `venue:${venueId}`,
  webexSource: 'webex',
  /** A lead `venue-sync dedupe --apply` deleted from the venue's Tripleseat (ops audit trail). */
  dedupe: (leadId: string) => `DEDUPE#${leadId}`,
  /** gsi1: every record about one HubSpot contact, across venues and Webex (for `status contact`). */
  contactIndex: (contactId: string) => `CONTACT#${contactId}`,
  /** A vendor OAuth token pair, kept in the venue's own partition (sk; pk is `venue(venueId)`). */
  oauthTokens: (provider: string) => `OAUTH#${provider}`,
  /** Tripleseat lead id -> the ledger request that created it (pk `venue(venueId)`; see lead-index.ts). */
  leadIndex: (leadId: string) => `LEADID#${leadId}`,
  /** The outcome last written back for a lead, with the delivery time it came from (pk `venue(venueId)`). */
  leadOutcome: (leadId: string) => `OUTCOME#${leadId}`,
  leadOutcomePrefix: 'OUTCOME#',
  /** A delivery about a lead venue-sync did not create (ops record, pk `venue(venueId)`). */
  unknownLead: (leadId: string) => `UNKNOWNLEAD#${leadId}`,
  unknownLeadPrefix: 'UNKNOWNLEAD#',
  /** A signed Tripleseat delivery the receiver could not read, kept for replay (pk `venue(venueId)`). */
  unreadableDelivery: (digest: string) => `UNREADABLE#${digest}`,
  unreadableDeliveryPrefix: 'UNREADABLE#',
  /** Where the nightly lead reconcile resumes (pk `venue(venueId)`). */
  leadReconcile: 'LEAD_RECONCILE',
} as const;
