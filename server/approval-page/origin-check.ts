/**
 * The Origin check on the approval page's POSTs, a second line behind the CSRF token and the
 * SameSite=Strict cookie: a browser names the page a form was sent from, and a form sent from
 * anywhere but this server is refused. "This server" is its public URL (what the QR code holds)
 * or the origin the request itself was addressed to. A request without an Origin header (an
 * older browser, a script) is left to the CSRF token.
 */

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function isAllowedOrigin(input: { origin: string | undefined; publicUrl: string; host: string | undefined; tls: boolean }): boolean {
  if (input.origin === undefined) return true;
  const own = [originOf(input.publicUrl), input.host === undefined ? undefined : originOf(`${input.tls ? 'https' : 'http'}://${input.host}`)];
  return own.some((origin) => origin !== undefined && origin !== 'null' && origin === input.origin);
}
