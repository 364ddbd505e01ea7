// The certificate and key to serve HTTPS with, read and checked before anything listens: both files are needed, each
// must exist and hold what it should (a PEM certificate, a PEM private key), and the key must belong to the
// certificate. Each problem names its field and file, instead of an OpenSSL error at listen time.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fieldMention, InputError, inputText } from '../../app/errors/index.ts';
import type { TlsMaterial } from './settings.ts';

function readPem(field: string, path: string): string {
  if (!existsSync(path)) throw new InputError(field, `no such file: ${path}`, { value: path });
  if (statSync(path).isDirectory()) throw new InputError(field, `${path} is a directory, not a file`, { value: path });
  return readFileSync(path, 'utf8');
}

/** undefined when neither file is given (plain HTTP). */
export function readTls(certPath: string | undefined, keyPath: string | undefined): TlsMaterial | undefined {
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined) throw new InputError('tlsCert', inputText`${fieldMention('tlsKey')} needs ${fieldMention('tlsCert')} FILE too (the certificate to serve HTTPS with)`);
  if (keyPath === undefined) throw new InputError('tlsKey', inputText`${fieldMention('tlsCert')} needs ${fieldMention('tlsKey')} FILE too (the private key of the certificate)`);
  const cert = readPem('tlsCert', certPath);
  const key = readPem('tlsKey', keyPath);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new InputError('tlsCert', `${certPath} is not a PEM certificate (${(error as Error).message})`, { value: certPath });
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new InputError('tlsKey', `${keyPath} is not a PEM private key (${(error as Error).message})`, { value: keyPath });
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new InputError('tlsKey', `${keyPath} is not the private key of the certificate in ${certPath}`, { value: keyPath });
  return { cert, key };
}
