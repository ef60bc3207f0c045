import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Everything /metrics exposes, in one registry per server instance (tests run several). */
export class ServerMetrics {
  readonly registry = new Registry();

  readonly webhookRequests = new Counter({
    name: 'sportello_webhook_requests_total',
    help: 'Webhook POSTs by outcome: stored, duplicate, ignored, quarantined, rejected_signature, rejected_malformed, rejected_too_large, store_unavailable (503: the store down or full), error.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookAckSeconds = new Histogram({
    name: 'sportello_webhook_ack_seconds',
    help: 'Time from a verified webhook to its durable acknowledgement.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly messagesStored = new Counter({
    name: 'sportello_messages_stored_total',
    help: 'Messages newly stored, by direction and type.',
    labelNames: ['direction', 'type'] as const,
    registers: [this.registry],
  });

  readonly sends = new Counter({
    name: 'sportello_sends_total',
    help: 'Outbound send attempts by outcome: accepted, retry, failed, refused (before calling Meta), duplicate (same idempotency key).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly graphErrors = new Counter({
    name: 'sportello_graph_api_errors_total',
    help: 'Graph API failures by code (meta_<code>, http_<status>, network).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly mediaDownloads = new Counter({
    name: 'sportello_media_downloads_total',
    help: 'Inbound media download attempts by outcome: stored, retry, failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jobsRun = new Counter({
    name: 'sportello_jobs_total',
    help: 'Job attempts by kind and outcome: done, retry (another attempt later), failed (no attempt left), superseded (a newer schedule of the same thing waits).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly typingIndicators = new Counter({
    name: 'sportello_typing_indicators_total',
    help: 'Typing indicators shown to customers (with the mark-as-read call), by outcome: sent, failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly outboundQueueDepth = new Gauge({
    name: 'sportello_outbound_queue_depth',
    help: 'Outbound messages waiting to be sent.',
    registers: [this.registry],
  });

  readonly channelNeedsReauthorization = new Gauge({
    name: 'sportello_channel_needs_reauthorization',
    help: 'Business numbers whose access token Meta refused (code 190): each must be re-authorised (numbers rotate-token).',
    registers: [this.registry],
  });

  readonly numberCanSend = new Gauge({
    name: 'sportello_number_can_send',
    help: '1 when the business number can send; 0 when its token was refused or is missing.',
    labelNames: ['phone_number_id'] as const,
    registers: [this.registry],
  });

  readonly webhookUnknownNumber = new Counter({
    name: 'sportello_webhook_unknown_number_total',
    help: 'Signed webhook changes naming a number this server does not serve (kept, shown to admins), by reason: not_configured, other_app.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly eventSocketsTooSlow = new Counter({
    name: 'sportello_event_sockets_too_slow_total',
    help: 'Event sockets closed (code 4008, the client resumes) because they held more unsent bytes than the cap.',
    registers: [this.registry],
  });

  readonly safetyActions = new Counter({
    name: 'sportello_safety_actions_total',
    help: 'What the safety rules did (common/safety/safety-actions.ts), by rule and action: refused, warned, held, confirmed, redacted, quarantined, revealed, acknowledged.',
    labelNames: ['rule', 'action'] as const,
    registers: [this.registry],
  });

  readonly commitBatchSize = new Histogram({
    name: 'sportello_store_commit_batch_size',
    help: 'Units of work that shared one durable commit (group commit).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'sportello_store_commit_seconds',
    help: 'Duration of one group transaction, fsync included.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });

  readonly auditCheckpointMismatch = new Gauge({
    name: 'sportello_audit_checkpoint_mismatch',
    help: '1 when the store no longer contains the last audit checkpoint (rows removed, chain rewritten, or a file not sealed with this key): see the error log.',
    registers: [this.registry],
  });

  readonly backupRuns = new Counter({
    name: 'sportello_backup_runs_total',
    help: 'Daily backup runs (docs/backups.md) by outcome: ok, failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly backupLastSuccess = new Gauge({
    name: 'sportello_backup_last_success_timestamp_seconds',
    help: 'When the newest backup that this server made succeeded (0: none yet); alert when it is more than a day old.',
    registers: [this.registry],
  });

  readonly backupLastBytes = new Gauge({
    name: 'sportello_backup_last_bytes',
    help: 'The size on disk of the newest backup this server made.',
    registers: [this.registry],
  });

  readonly backupArchivesKept = new Gauge({
    name: 'sportello_backup_archives',
    help: 'Archives in the backup directory after the last run and its retention.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sportello_' });
  }
}
