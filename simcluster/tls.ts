import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SimTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /**
   * A client certificate signed by the cluster's CA: kube-apiserver's x509 authenticator takes
   * the user from the subject's CN and the groups from its O fields.
   */
  issueClientCertificate(user: string, groups?: readonly string[]): { certPem: string; keyPem: string };
}

function newSerial(): string {
  // Positive, 16 bytes: the first nibble is kept below 8.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

/**
 * A private CA and a server certificate for the address it listens on and localhost (or for
 * `serverNames` only), generated per start, as a kind or minikube cluster has. Keys come from
 * Node's crypto (fast, native); node-forge only assembles and signs the certificates.
 */
export function generateTls(commonName = 'meshery-simcluster', serverNames?: readonly string[], address = '127.0.0.1'): SimTls {
  const keyPair = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(pem);
    return { key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem };
  };
  const now = new Date(Date.now() - 60_000);
  const later = new Date(Date.now() + 365 * 24 * 3600 * 1000);

  const certificate = (publicKey: forge.pki.PublicKey, subject: forge.pki.CertificateField[], extensions: object[]) => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = newSerial();
    cert.validity.notBefore = now;
    cert.validity.notAfter = later;
    cert.setSubject(subject);
    cert.setIssuer(caSubject);
    cert.setExtensions(extensions);
    cert.sign(ca.key, forge.md.sha256.create());
    return cert;
  };
  const ca = keyPair();
  const caSubject = [{ name: 'commonName', value: `${commonName}-ca` }];
  const caCert = certificate(ca.publicKey, caSubject, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const server = keyPair();
  const cert = certificate(server.publicKey, [{ name: 'commonName', value: commonName }], [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: serverNames
        ? serverNames.map((name) => ({ type: 2, value: name }))
        : [
            { type: 7, ip: address },
            { type: 2, value: 'localhost' },
          ],
    },
  ]);

  const issueClientCertificate = (user: string, groups: readonly string[] = []) => {
    const client = keyPair();
    const subject = [{ name: 'commonName', value: user }, ...groups.map((g) => ({ name: 'organizationName', value: g }))];
    const clientCert = certificate(client.publicKey, subject, [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ]);
    return { certPem: forge.pki.certificateToPem(clientCert), keyPem: client.pem };
  };
  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.pem, issueClientCertificate };
}
