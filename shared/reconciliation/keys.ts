/** Key builders for the single-table layout of DESIGN.md section 4; the only place keys are spelled. */
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
} as const;
