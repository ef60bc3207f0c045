/**
 * A self-signed certificate for running the server locally (the sandbox): the desktop client
 * talks only HTTPS and checks the certificate's key against the pin in its provisioning file, so
 * even `npm start` runs TLS. Made once into the data dir and reused, so the pin stays the same.
 * Production deployments configure their own certificate (SPORTELLO_TLS_CERT_FILE/KEY_FILE).
 */
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import { PROVISIONING_FILE_NAME, ProvisioningFile } from '../../common/provisioning/provisioning-file.js';
import { spkiPinOfCertificate } from './spki-pin.js';

export const DEV_TLS_DIR = 'tls';

export interface DevCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** SHA-256 of the certificate's SubjectPublicKeyInfo, base64: what the provisioning file pins. */
  readonly spkiSha256: string;
}

export async function ensureDevCertificate(dataDir: string): Promise<DevCertificate> {
  const dir = path.join(dataDir, DEV_TLS_DIR);
  const certFile = path.join(dir, 'localhost-cert.pem');
  const keyFile = path.join(dir, 'localhost-key.pem');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    const now = new Date();
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60_000),
      notAfterDate: new Date(now.getTime() + 825 * 24 * 60 * 60 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
    fs.writeFileSync(certFile, pems.cert, { mode: 0o644 });
  }
  return { certFile, keyFile, spkiSha256: spkiPinOfCertificate(fs.readFileSync(certFile, 'utf8')) };
}

/** The provisioning file a desktop client on this machine uses to reach this server (as IT would deploy it). */
export function writeDevProvisioningFile(dataDir: string, serverUrl: string, certificate: DevCertificate, organisation: string): string {
  const file: ProvisioningFile = { serverUrl, spkiSha256: [certificate.spkiSha256], organisation };
  const target = path.join(dataDir, PROVISIONING_FILE_NAME);
  fs.writeFileSync(target, `${JSON.stringify(ProvisioningFile.parse(file), null, 2)}\n`, { mode: 0o644 });
  return target;
}
