/**
 * The approval page's HTML: a login form, the pending pairing with Approve / Reject, the result,
 * and the pages that explain a refusal. Plain forms, no scripts; every value goes through the
 * escaping `html` tag.
 */
import { replacesActiveKey } from '../../common/devices/key-replacement.js';
import { formatCode } from '../../common/devices/pairing-code.js';
import type { DeviceRow, PairingRow } from '../store/identity-schema.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';
import type { Language, PageStrings } from './page-strings.js';

export const STYLESHEET_PATH = '/pair/assets/approval-page.css';

/** A logged-in admin's header: who they are, and a logout form carrying the page's CSRF token. */
export interface SignedIn {
  readonly name: string;
  readonly csrf: string;
  readonly code: string | undefined;
}

export interface PageContext {
  readonly t: PageStrings;
  readonly language: Language;
  readonly signedIn?: SignedIn | undefined;
}

export function approvalUrlPath(code: string): string {
  return `/pair?code=${encodeURIComponent(formatCode(code))}`;
}

function hiddenCode(code: string | undefined): SafeHtml {
  return code === undefined ? html`` : html`<input type="hidden" name="code" value="${formatCode(code)}">`;
}

function header(context: PageContext): SafeHtml {
  const { t, signedIn } = context;
  const account =
    signedIn === undefined
      ? html``
      : html`<form method="post" action="/pair/logout" class="account">
          <span>${t.loggedInAs(signedIn.name)}</span>
          ${hiddenCode(signedIn.code)}<input type="hidden" name="csrf" value="${signedIn.csrf}">
          <button type="submit" class="link">${t.logOut}</button>
        </form>`;
  return html`<header class="bar"><span class="brand">Sportello</span>${account}</header>`;
}

function layout(context: PageContext, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${context.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title} · Sportello</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
${header(context)}
<main>
${body}
</main>
</body>
</html>
`.toString();
}

function codeLine(t: PageStrings, code: string): SafeHtml {
  return html`<p class="code-line">${t.pairingCode} <strong class="mono">${formatCode(code)}</strong></p>`;
}

function alert(message: string | undefined, kind: 'error' | 'warning' = 'error'): SafeHtml {
  return message === undefined ? html`` : html`<p class="alert ${kind}" role="alert">${message}</p>`;
}

export function loginPage(context: PageContext, input: { code: string; username?: string | undefined; error?: string | undefined }): string {
  const { t } = context;
  return layout(
    context,
    t.pageTitle,
    html`<h1>${t.pageTitle}</h1>
${codeLine(t, input.code)}
<p>${t.loginIntro}</p>
${alert(input.error)}
<form method="post" action="/pair/login" class="stack">
  ${hiddenCode(input.code)}
  <label for="username">${t.username}</label>
  <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required value="${input.username ?? ''}">
  <label for="password">${t.password}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required>
  <label for="otp">${t.secondFactor}</label>
  <input id="otp" name="otp" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="32" required aria-describedby="otp-hint">
  <p id="otp-hint" class="hint">${t.secondFactorHint}</p>
  <button type="submit" class="primary">${t.logIn}</button>
</form>`,
  );
}

function timeAsked(language: Language, at: number, now: number): string {
  const clock = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(at);
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  return `${clock} (${new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(-minutes, 'minute')})`;
}

export function pairingPage(context: PageContext, input: { code: string; csrf: string; pairing: PairingRow; device: DeviceRow; now: number }): string {
  const { t, language } = context;
  const { pairing, device } = input;
  const replacesKey = replacesActiveKey({ status: device.status, keyFingerprint: device.key_fingerprint }, { keyFingerprint: pairing.key_fingerprint });
  const rows: Array<[string, string]> = [
    [t.label, device.label],
    [t.hostname, pairing.hostname],
    [t.os, pairing.os],
    [t.appVersion, pairing.app_version],
    [t.secretStorage, pairing.storage_backend],
    [t.asked, timeAsked(language, pairing.created_at, input.now)],
  ];
  const groups = pairing.key_fingerprint.split(/\s+/).map((group) => html`<span>${group}</span>`);
  return layout(
    context,
    t.pairingHeading,
    html`<h1>${t.pairingHeading}</h1>
${codeLine(t, input.code)}
${alert(replacesKey ? t.replacesKey : undefined, 'warning')}
${alert(pairing.storage_backend === 'basic_text' ? t.unprotectedStorage : undefined, 'warning')}
<dl class="details">
${rows.map(([name, value]) => html`  <div><dt>${name}</dt><dd>${value}</dd></div>\n`)}</dl>
<section class="fingerprint" aria-labelledby="fingerprint-heading">
  <h2 id="fingerprint-heading">${t.fingerprint}</h2>
  <p class="fingerprint-groups mono" id="fingerprint">${groups.map((group, index) => html`${index > 0 ? ' ' : ''}${group}`)}</p>
  <p class="hint">${t.fingerprintHint}</p>
</section>
<form method="post" action="/pair/decide" class="decide">
  ${hiddenCode(input.code)}
  <input type="hidden" name="csrf" value="${input.csrf}">
  <button type="submit" name="decision" value="approve" class="approve">${t.approve}</button>
  <button type="submit" name="decision" value="reject" class="reject">${t.reject}</button>
</form>`,
  );
}

export function decidedPage(context: PageContext, input: { decision: 'approve' | 'reject'; label: string }): string {
  const { t } = context;
  const approved = input.decision === 'approve';
  const heading = approved ? t.approvedHeading : t.rejectedHeading;
  return layout(
    context,
    heading,
    html`<h1 class="${approved ? 'approved' : 'rejected'}">${heading}</h1>
<p class="result" role="status">${approved ? t.approvedText(input.label) : t.rejectedText(input.label)}</p>
<p>${t.closePage}</p>`,
  );
}

/** A page that explains a refusal or a state, with a way back to the pairing page when there is a code. */
export function messagePage(context: PageContext, input: { heading: string; text: string; hint?: string | undefined; code?: string | undefined }): string {
  const back = input.code === undefined ? html`` : html`<p><a href="${approvalUrlPath(input.code)}">${context.t.openAgain}</a></p>`;
  return layout(
    context,
    input.heading,
    html`<h1>${input.heading}</h1>
<p>${input.text}</p>
${input.hint === undefined ? html`` : html`<p class="hint">${input.hint}</p>`}
${back}`,
  );
}
