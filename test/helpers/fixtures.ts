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
