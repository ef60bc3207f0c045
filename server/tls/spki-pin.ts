import crypto from 'node:crypto';

/** The pin of a certificate: SHA-256 of its SubjectPublicKeyInfo (DER), base64 — survives renewals with the same key. */
export function spkiPinOfCertificate(certificatePem: string): string {
  const spki = new crypto.X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('base64');
}
