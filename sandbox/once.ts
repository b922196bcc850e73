/**
 * `npm start -- --once`: one full cycle (seed, every venue poller once, the Webex sync once, the
 * webhook path once), then the summary and its checks. Returns the summary; the caller decides the
 * exit code.
 */
import { WEBHOOK_CONTACT, createAndTick, seedDemo } from './demo-data';
import { SandboxRunner } from './runner';
import { buildOnceSummary, type OnceSummary } from './summary';
import { World } from './world';

export async function runOnce(options: { timeScale: number }): Promise<OnceSummary> {
  const startedRealMs = Date.now();
  const world = await World.start({ timeScale: options.timeScale });
  let runner: SandboxRunner | undefined;
  try {
    runner = await SandboxRunner.start(world);
    const seed = seedDemo(world);
    runner.configureWebex(seed.webexEvents.map((event) => event.id));

    // The 5-minute schedule fires every venue's poller (concurrently, as EventBridge would), and the
    // 15-minute one the Webex sync.
    await Promise.all([
      ...world.config.venues.map((venue) => runner!.poll(venue.id, 'schedule')),
      runner.syncWebex(),
    ]);

    // A marketer ticks a contact after the poll: HubSpot's signed delivery wakes that venue's poller
    // early. A forged delivery (wrong secret) must be refused and wake nothing.
    const webhookContact = createAndTick(world, WEBHOOK_CONTACT);
    const ticks = webhookContact.flags.map((venueId) => ({ contactId: webhookContact.contactId, venueId }));
    const signed = await runner.deliverWebhook(ticks);
    await runner.idle();
    const invocationsBeforeForged = runner.lambda.invocations.length;
    const forged = await runner.deliverWebhook(ticks, { forge: true });
    await runner.idle();

    return buildOnceSummary({
      world,
      runner,
      seed,
      webhookContacts: [webhookContact],
      webhookAnswers: { signed: signed.statusCode, forged: forged.statusCode },
      invocationsBeforeForged,
      startedRealMs,
    });
  } finally {
    await runner?.close();
    await world.close();
  }
}
