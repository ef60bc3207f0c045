/**
 * `payment-provider …`: where agents' payment links come from (docs/safety-rules.md, "Payment
 * links"): show it, or set it: `set none`, `set fixed_url <https address>`, or `set stripe` with
 * the secret key read from stdin or a prompt that does not echo it (never an argument, which
 * everyone on the machine sees in `ps`). The key is sealed under the server key and never shown;
 * a bad key or address stops the command before the store is opened, and nothing changes.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { FixedPaymentUrl, PaymentProviderKind, StripeSecretKey } from '../../common/payments/payment-links.js';
import type { AdminPaymentProviderView, SetPaymentProviderRequest } from '../../common/payments/payment-links.js';
import type { AdminRunner } from './admin-command.js';
import { ArgumentError, argumentsOf, noArguments } from './arguments.js';
import { formatTable, formatTime } from './text-format.js';

const KEY_HELP =
  'With stripe, the secret key (sk_live_…, sk_test_…, or a restricted rk_… key) is read from stdin, or asked for without echo on a terminal: never give it as an argument.';

const parseSet = argumentsOf(z.object({ kind: PaymentProviderKind, url: z.string().optional() }), 'kind', 'url');

type SetInput = ReturnType<typeof parseSet> & { request?: SetPaymentProviderRequest };

function requestOf(input: SetInput): SetPaymentProviderRequest {
  if (input.request === undefined) throw new ArgumentError('payment provider: nothing was read');
  return input.request;
}

export function formatPaymentProvider(heading: string) {
  return (view: AdminPaymentProviderView): string => {
    const rows = [
      ['kind', view.kind],
      ['stripe key', view.stripeKeyStored ? `stored, sealed (${view.stripeMode ?? 'live'} mode; never shown)` : '(none)'],
      ['fixed page', view.fixedUrl ?? '(none)'],
    ];
    const changed = view.changedBy === null ? 'never set: agents cannot request payments' : `changed ${formatTime(view.changedAt)} by ${view.changedBy}`;
    return `${heading}: ${changed}\n\n${formatTable(['SETTING', 'VALUE'], rows)}`;
  };
}

export function registerPaymentProviderCommands(program: Command, run: AdminRunner): void {
  const provider = program
    .command('payment-provider')
    .description('where agents’ payment links come from: none, Stripe (Payment Links) or a fixed payment page')
    .addHelpText('after', `\n${KEY_HELP}`);

  run
    .command(provider, 'show', 'the payment provider, whether a Stripe key is stored (never the key), and who changed it last')
    .action(run.action({ parse: noArguments, perform: (context) => context.payments.current(), render: formatPaymentProvider('Payment provider') }));

  run
    .command(provider, 'set', 'set the provider: none, stripe (key from stdin or a prompt), or fixed_url <https address>')
    .argument('<kind>', 'none, stripe or fixed_url')
    .argument('[url]', 'with fixed_url: the payment page, e.g. https://paypal.me/yourcompany')
    .addHelpText('after', `\n${KEY_HELP}`)
    .action(
      run.action({
        parse: (values, options): SetInput => {
          const input = parseSet(values, options);
          if (input.kind === 'fixed_url') {
            const url = FixedPaymentUrl.safeParse(input.url ?? '');
            if (!url.success) throw new ArgumentError(`<url>: ${url.error.issues[0]?.message ?? 'is invalid'}`);
            return { ...input, request: { kind: 'fixed_url', url: url.data } };
          }
          if (input.url !== undefined) throw new ArgumentError(`<url>: only fixed_url takes an address`);
          return input.kind === 'none' ? { ...input, request: { kind: 'none' } } : input;
        },
        readSecrets: async (input, terminal): Promise<SetInput> => {
          if (input.kind !== 'stripe') return input;
          const read = await terminal.readSecret('Stripe secret key (not shown): ');
          if (read.trim() === '') throw new ArgumentError('Stripe secret key: none was given (pipe it on stdin, or run on a terminal to be asked)');
          const key = StripeSecretKey.safeParse(read);
          // The message names the rule, never echoes what was read.
          if (!key.success) throw new ArgumentError(`Stripe secret key: ${key.error.issues[0]?.message ?? 'is invalid'}`);
          return { ...input, request: { kind: 'stripe' as const, secretKey: key.data } };
        },
        perform: (context, input) => context.payments.set(requestOf(input), context.actor),
        render: formatPaymentProvider('Changed the payment provider'),
      }),
    );
}
