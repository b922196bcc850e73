/** What classification reads from a vendor's error body, whatever the vendor. */
export interface VendorDetails {
  message?: string;
  /** HubSpot category / Webex extensions.code. */
  code?: string;
  policyName?: string;
  correlationId?: string;
  webexAvailableCost?: number;
  webexDailyAvailableCost?: number;
}

/** The body as JSON when it is JSON text, else as given. */
export function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
