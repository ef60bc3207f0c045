import fs from 'node:fs';
import path from 'node:path';

/** ../shared/fixtures/cloud-api/webhooks, relative to the project root (never copied in). */
export const WEBHOOK_FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../shared/fixtures/cloud-api/webhooks');

export function webhookFixtureNames(): string[] {
  return fs
    .readdirSync(WEBHOOK_FIXTURES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function readWebhookFixture(name: string): Buffer {
  return fs.readFileSync(path.join(WEBHOOK_FIXTURES_DIR, name));
}

/**
 * The business numbers the fixtures' webhooks name (`metadata.phone_number_id`): test servers
 * serve them, so the fixtures are applied rather than kept as from unknown numbers.
 */
export const FIXTURE_NUMBERS: ReadonlyArray<{ readonly phoneNumberId: string; readonly displayName: string }> = [
  { phoneNumberId: '1122334455667', displayName: 'Fixtures: Meta docs' },
  { phoneNumberId: '106540352242922', displayName: 'Fixtures: pywa' },
  { phoneNumberId: '<BUSINESS_PHONE_NUMBER_ID>', displayName: 'Fixtures: placeholder' },
];
