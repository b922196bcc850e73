/**
 * A simulated marina management platform: the kind of booking system that has no official API for
 * smaller operators, only a REST API known from an integrator's code. Its quirks are the point:
 *
 * - `POST /api/v2/enquiries` with an `X-Marina-Key` header creates an enquiry: 201
 *   `{ ok: true, enquiry: { id, created } }`. It honours `Idempotency-Key`: a repeated key answers the
 *   first enquiry again (200) and stores nothing new.
 * - Odd error shapes: a missing email is 422 `{ error: { detail } }`; a vessel make it does not accept
 *   is a 200 `{ ok: false, message }` (an error behind a success status).
 * - Occasionally a 502 from its gateway after the enquiry was stored (`storeThenBadGateway`).
 * - `GET /api/v2/enquiries?email=` lists enquiries: `{ data: [{ id, contact: { email, first, last,
 *   phone }, created_at }] }` with `created_at` in UTC.
 * - A wrong key is 401 `{ message }`; over `perMinute` requests a minute, 429.
 */
import { z } from 'zod';
import {
  FaultInjector,
  RequestLog,
  serveSimulator,
  type RunningServer,
  type SimClock,
  type SimRequest,
  type SimResponse,
} from '../sim-kit';

export interface MarinaEnquiry {
  id: string;
  idempotencyKey: string | undefined;
  createdAtMs: number;
  firstName: string;
  lastName: string | undefined;
  email: string;
  phone: string | undefined;
  vesselMake: string | undefined;
  body: unknown;
}

export interface MarinaPlatformOptions {
  clock: SimClock;
  apiKey: string;
  /** Requests a minute before 429. @default 600 */
  perMinute?: number;
  seed?: number;
}

const EnquiryInputSchema = z.object({
  customer: z.object({
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
  }),
  vessel: z.object({ make: z.string().optional() }).optional(),
});

/** Vessel makes longer than this are refused behind a 200 (as the real platform's form field does). */
export const MAX_VESSEL_MAKE = 40;

export class MarinaPlatformSimulator {
  readonly faults: FaultInjector;
  readonly log = new RequestLog();
  /** The next N creates are stored, then answered 502 by the gateway. */
  storeThenBadGateway = 0;
  private readonly stored: MarinaEnquiry[] = [];
  private server: RunningServer | undefined;
  private nextId = 1001;
  private window: number[] = [];

  constructor(private readonly options: MarinaPlatformOptions) {
    this.faults = new FaultInjector(options.seed ?? 7);
  }

  get url(): string {
    if (!this.server) throw new Error('marina platform simulator not started');
    return this.server.url;
  }

  async start(): Promise<void> {
    this.server = await serveSimulator({
      handle: (request) => this.handle(request),
      faults: this.faults,
      log: this.log,
      clock: this.options.clock,
      credentialOf: (request) => header(request, 'x-marina-key'),
    });
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Every stored enquiry, oldest first. */
  enquiries(): readonly MarinaEnquiry[] {
    return this.stored;
  }

  private handle(request: SimRequest): SimResponse {
    if (header(request, 'x-marina-key') !== this.options.apiKey) {
      return { status: 401, body: { message: 'invalid api key' } };
    }
    const now = this.options.clock.now();
    this.window = this.window.filter((at) => at > now - 60_000);
    if (this.window.length >= (this.options.perMinute ?? 600)) {
      return { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '5' } };
    }
    this.window.push(now);
    if (request.path === '/api/v2/enquiries' && request.method === 'POST') return this.create(request, now);
    if (request.path === '/api/v2/enquiries' && request.method === 'GET') return this.list(request);
    return { status: 404, body: '<html><body>Not Found</body></html>', raw: true };
  }

  private create(request: SimRequest, now: number): SimResponse {
    let json: unknown;
    try {
      json = JSON.parse(request.rawBody);
    } catch {
      return { status: 400, body: 'bad json', raw: true };
    }
    const key = header(request, 'idempotency-key');
    const earlier = key === undefined ? undefined : this.stored.find((e) => e.idempotencyKey === key);
    if (earlier) return { status: 200, body: { ok: true, enquiry: view(earlier) } };
    const input = EnquiryInputSchema.safeParse(json);
    if (!input.success) return { status: 422, body: { error: { detail: 'customer is required' } } };
    const { customer, vessel } = input.data;
    if (!customer.email?.includes('@'))
      return { status: 422, body: { error: { detail: 'customer email is required' } } };
    if (!customer.firstName)
      return { status: 422, body: { error: { detail: 'customer first name is required' } } };
    if (vessel?.make !== undefined && vessel.make.length > MAX_VESSEL_MAKE) {
      return {
        status: 200,
        body: { ok: false, message: `vessel make must be at most ${MAX_VESSEL_MAKE} characters` },
      };
    }
    const enquiry: MarinaEnquiry = {
      id: `ENQ-${this.nextId++}`,
      idempotencyKey: key,
      createdAtMs: now,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email.trim().toLowerCase(),
      phone: customer.phone,
      vesselMake: vessel?.make,
      body: json,
    };
    this.stored.push(enquiry);
    if (this.storeThenBadGateway > 0) {
      this.storeThenBadGateway -= 1;
      return { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', raw: true };
    }
    return { status: 201, body: { ok: true, enquiry: view(enquiry) } };
  }

  private list(request: SimRequest): SimResponse {
    const email = request.query.get('email')?.trim().toLowerCase() ?? '';
    const data = this.stored
      .filter((enquiry) => enquiry.email === email)
      .map((enquiry) => ({
        id: enquiry.id,
        contact: {
          email: enquiry.email,
          first: enquiry.firstName,
          last: enquiry.lastName,
          phone: enquiry.phone,
        },
        created_at: new Date(enquiry.createdAtMs).toISOString(),
      }));
    return { status: 200, body: { data } };
  }
}

function view(enquiry: MarinaEnquiry) {
  return { id: enquiry.id, created: new Date(enquiry.createdAtMs).toISOString() };
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
