import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SimTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

function newSerial(): string {
  // Positive, 16 bytes: the first nibble is kept below 8.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

/**
 * A private CA and a server certificate for 127.0.0.1 and localhost, generated per start, as a
 * kind or minikube cluster has. Keys come from Node's crypto (fast, native); node-forge only
 * assembles and signs the certificates.
 */
export function generateTls(commonName = 'meshery-simcluster'): SimTls {
  const keyPair = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(pem);
    return { key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem };
  };
  const now = new Date(Date.now() - 60_000);
  const later = new Date(Date.now() + 365 * 24 * 3600 * 1000);

  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = newSerial();
  caCert.validity.notBefore = now;
  caCert.validity.notAfter = later;
  const caSubject = [{ name: 'commonName', value: `${commonName}-ca` }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.key, forge.md.sha256.create());

  const server = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = newSerial();
  cert.validity.notBefore = now;
  cert.validity.notAfter = later;
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());

  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.pem };
}
