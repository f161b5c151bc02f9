// Keys and did:key URLs for the interop scripts: fixed test keys made from a repeated byte, and the did:key method
// identifiers Tabard derives for them (Ed25519: multicodec 0xed01; P-256: 0x8024 and the compressed point).
import {createHash, createECDH, createPrivateKey} from 'node:crypto';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export function base58btc(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) {
      break;
    }
    out = '1' + out;
  }
  return out;
}

/** A did:key verification method URL for a public KeyObject (Ed25519: 0xed01, P-256: 0x8024 + compressed point). */
export function didKeyUrl(publicKey) {
  const jwk = publicKey.export({format: 'jwk'});
  let raw;
  if (jwk.crv === 'Ed25519') {
    raw = Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(jwk.x, 'base64url')]);
  } else {
    const y = Buffer.from(jwk.y, 'base64url');
    raw = Buffer.concat([Buffer.from([0x80, 0x24, 2 + (y[y.length - 1] & 1)]), Buffer.from(jwk.x, 'base64url')]);
  }
  const id = 'z' + base58btc(raw);
  return `did:key:${id}#${id}`;
}

export function ed25519Key(fill) {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, fill)]);
  return createPrivateKey({key: pkcs8, format: 'der', type: 'pkcs8'});
}

export function p256Key(fill) {
  const ecdh = createECDH('prime256v1');
  const d = Buffer.alloc(32, fill);
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  return createPrivateKey({key: {kty: 'EC', crv: 'P-256', d: d.toString('base64url'),
    x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url')}, format: 'jwk'});
}

/** An RFC 9530 Content-Digest field value (sha-256) of a UTF-8 body. */
export const sha256 = body => `sha-256=:${createHash('sha256').update(body, 'utf8').digest('base64')}:`;
