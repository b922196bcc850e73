/**
 * Changed people waiting for HubSpot, upserted 100 a call (a 10 % change costs ~1 call per 1,000
 * people instead of one per page). Only confirmed people get their contact id and hash recorded; a
 * per-record failure (207) keeps the old hash, so the next pass sends that person again.
 */
import { propertiesHash } from '../webex-mapper';
import type { PersonWrite, WebexRunContext } from './run-context';

/** HubSpot's batch cap. */
export const UPSERT_BATCH_SIZE = 100;

export interface BufferedPerson {
  person: PersonWrite;
  properties: Record<string, string>;
}

export class UpsertBuffer {
  /** Emails this run already upserted, with what it wrote (cross-event dedup). */
  private readonly pushed = new Map<string, { hash: string; contactId: string }>();
  /** Changed people of the current event, by email. */
  private readonly pending = new Map<string, BufferedPerson>();

  constructor(private readonly run: WebexRunContext) {}

  get size(): number {
    return this.pending.size;
  }

  get(email: string): BufferedPerson | undefined {
    return this.pending.get(email);
  }

  add(email: string, item: BufferedPerson): void {
    this.pending.set(email, item);
  }

  /** What this run already wrote for `email` (from another event), if anything. */
  pushedThisRun(email: string): { hash: string; contactId: string } | undefined {
    return this.pushed.get(email);
  }

  /** Drops what is buffered (a new event starts, or the event ended without confirming them). */
  clear(): void {
    this.pending.clear();
  }

  async flush(eventId: number): Promise<void> {
    const { hubspot, store, report, log } = this.run;
    const buffered = [...this.pending.values()];
    for (let start = 0; start < buffered.length; start += UPSERT_BATCH_SIZE) {
      const chunk = buffered.slice(start, start + UPSERT_BATCH_SIZE);
      const { results, failed } = await hubspot.upsertByEmail(
        chunk.map(({ person, properties }) => ({ email: person.email, properties })),
      );
      const confirmed: PersonWrite[] = [];
      for (const result of results) {
        const item = this.pending.get(result.email);
        if (!item) continue;
        const hash = propertiesHash(item.properties);
        if (result.created) report.created += 1;
        else report.updated += 1;
        this.pushed.set(result.email, { hash, contactId: result.id });
        confirmed.push({ ...item.person, hubspotContactId: result.id, syncedHash: hash });
      }
      for (const failure of failed) {
        report.failed += 1;
        log.warn('HubSpot did not confirm the upsert; retried on the next pass', {
          eventId,
          webexId: this.pending.get(failure.id)?.person.webexId,
          reason: failure.reason,
        });
      }
      if (confirmed.length > 0) await store.putPeople(confirmed);
      for (const { person } of chunk) this.pending.delete(person.email);
    }
  }
}
