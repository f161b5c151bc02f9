// RFC 9421 HTTP message signatures between Tabard and an independent implementation, the npm package
// http-message-signatures (exact version in package.json).
//   node httpsig.mjs sign    writes ../src/test/resources/vectors/interop/node-httpsig.json: requests (Ed25519 and P-256)
//                            and a P-256 response bound to a request, signed by the package, and tampered copies;
//                            Tabard's HttpSignaturePeersTest verifies them.
//   node httpsig.mjs verify  checks ../src/test/resources/vectors/interop/tabard-httpsig.json (written by
//                            dev.tabard.vectors.interop.TabardSignedHttp) with the package: every valid message verifies,
//                            every tampered copy fails. One line per check; exit code 1 on any unexpected outcome.
// Usage: npm ci && node httpsig.mjs sign && node httpsig.mjs verify
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createPublicKey} from 'node:crypto';
import {httpbis, createSigner, createVerifier} from 'http-message-signatures';
import {didKeyUrl, ed25519Key, p256Key, sha256} from './keys.mjs';
import {check, unexpected} from './checks.mjs';

const vectors = new URL('../src/test/resources/vectors/interop/', import.meta.url);
const COVERED = ['@method', '@target-uri', 'content-digest', 'content-type'];


// --- sign ------------------------------------------------------------------------------------------------------------
async function sign() {
  const created = new Date(Date.UTC(2026, 10, 22, 10, 0, 0));
  const expires = new Date(created.getTime() + 300_000);
  const ed = ed25519Key(0x11);
  const p256 = p256Key(0x22);
  const edKid = didKeyUrl(createPublicKey(ed));
  const p256Kid = didKeyUrl(createPublicKey(p256));

  const request = body => ({
    method: 'POST',
    url: 'https://gate.example/orders?lang=en',
    headers: {'Content-Type': 'application/json', 'Content-Digest': sha256(body), 'Accept': 'application/json'},
    body
  });
  const params = ['created', 'expires', 'nonce', 'keyid', 'alg'];
  const edBody = '{"order": 42, "items": ["paper"]}';
  const edRequest = await httpbis.signMessage({key: createSigner(ed, 'ed25519', edKid), name: 'sig1', fields: COVERED,
    params, paramValues: {created, expires, nonce: 'node-nonce-ed25519'}}, request(edBody));
  const p256Body = '{"order": 43}';
  // without alg: the verifier takes the algorithm from the key
  const p256Request = await httpbis.signMessage({key: createSigner(p256, 'ecdsa-p256-sha256', p256Kid), name: 'sig1',
    fields: COVERED, params: ['created', 'expires', 'nonce', 'keyid'], paramValues: {created, expires, nonce: 'node-nonce-p256'}},
    request(p256Body));

  // the answering side: a response covering its status and digest, and the request's method, target and signature
  const responseBody = '{"accepted": true}';
  const response = await httpbis.signMessage({key: createSigner(p256, 'ecdsa-p256-sha256', p256Kid), name: 'res',
    fields: ['@status', 'content-digest', '"@method";req', '"@target-uri";req', '"signature";req;key="sig1"'],
    params: ['created', 'keyid', 'alg'], paramValues: {created: new Date(created.getTime() + 1000)}},
    {status: 200, headers: {'Content-Type': 'application/json', 'Content-Digest': sha256(responseBody)}, body: responseBody},
    edRequest);

  const withHeader = (m, name, value) => ({...m, headers: {...m.headers, [name]: value}});
  const flipped = m => {
    const sig = m.headers.Signature;
    const b64 = sig.substring(sig.indexOf('=:') + 2, sig.length - 1);
    const bytes = Buffer.from(b64, 'base64');
    bytes[5] ^= 1;
    return withHeader(m, 'Signature', `${sig.substring(0, sig.indexOf('=:'))}=:${bytes.toString('base64')}:`);
  };
  const out = {
    generatedBy: 'test-vectors/interop/httpsig.mjs',
    library: 'http-message-signatures ' + JSON.parse(readFileSync(new URL('node_modules/http-message-signatures/package.json',
      import.meta.url), 'utf8')).version,
    keys: {ed25519: edKid, p256: p256Kid},
    valid: {ed25519Request: edRequest, p256Request, p256Response: {...response, request: 'ed25519Request'}},
    tampered: {
      ed25519ContentType: withHeader(edRequest, 'Content-Type', 'text/plain'),
      ed25519Method: {...edRequest, method: 'PUT'},
      ed25519Target: {...edRequest, url: 'https://gate.example/orders?lang=fr'},
      ed25519Signature: flipped(edRequest),
      p256Signature: flipped(p256Request),
      p256ContentDigest: withHeader(p256Request, 'Content-Digest', sha256('{"order": 44}')),
      p256Body: {...p256Request, body: '{"order": 44}'},
      p256ResponseForAnotherRequest: {...response, request: 'p256Request'}
    }
  };
  mkdirSync(vectors, {recursive: true});
  writeFileSync(new URL('node-httpsig.json', vectors), JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote node-httpsig.json: ${Object.keys(out.valid).length} signed messages, ${Object.keys(out.tampered).length} tampered`);
}

// --- verify ----------------------------------------------------------------------------------------------------------

async function verify() {
  const v = JSON.parse(readFileSync(new URL('tabard-httpsig.json', vectors), 'utf8'));
  // Time windows are the gate's policy, not the signature's: the file is signed at a fixed time, so the package's
  // wall-clock check of created/expires is widened to reach it.
  const tolerance = Math.abs(Math.floor(Date.now() / 1000) - v.created) + 600;
  const keys = new Map();
  for (const [kid, jwk] of Object.entries(v.keys)) {
    const key = createPublicKey({key: jwk, format: 'jwk'});
    if (didKeyUrl(key) !== kid) {
      throw new Error(`${kid} is not the did:key of its JWK`);
    }
    const alg = jwk.crv === 'Ed25519' ? 'ed25519' : 'ecdsa-p256-sha256';
    keys.set(kid, {id: kid, algs: [alg], verify: createVerifier(key, alg)});
  }
  const config = {keyLookup: async params => keys.get(params.keyid) ?? null, tolerance, all: true};
  const request = m => ({method: m.method, url: m.url, headers: m.headers});
  const verifyOne = async (m, label) => {
    const result = m.status
      ? await httpbis.verifyMessage(config, {status: m.status, headers: m.headers}, request(v.valid[m.request] ?? v.tampered[m.request]))
      : await httpbis.verifyMessage(config, request(m));
    if (result !== true) {
      throw new Error(`verifyMessage returned ${result}`);
    }
    const digest = Object.entries(m.headers).find(([n]) => n.toLowerCase() === 'content-digest')?.[1];
    if (digest !== sha256(m.body)) {
      throw new Error(`Content-Digest ${digest} is not the body's ${sha256(m.body)}`);
    }
    return `${label}: signature and Content-Digest hold`;
  };
  for (const [name, m] of Object.entries(v.valid)) {
    await check(`http-message-signatures verifies Tabard's ${name}`, 'verifies', () => verifyOne(m, name));
  }
  for (const [name, m] of Object.entries(v.tampered)) {
    // a changed body keeps its signature and loses its digest; every other copy loses its signature
    const reason = name === 'p256Body' ? /^Content-Digest .* is not the body's/ : /^verifyMessage returned false$/;
    await check(`http-message-signatures refuses Tabard's ${name} (tampered)`, 'fails', () => verifyOne(m, name), reason);
  }
  console.log(unexpected() === 0 ? 'httpsig: every Tabard-signed message verified as expected by http-message-signatures'
    : `httpsig: ${unexpected()} unexpected outcome(s)`);
  process.exit(unexpected() === 0 ? 0 : 1);
}

const mode = process.argv[2];
if (mode === 'sign') {
  await sign();
} else if (mode === 'verify') {
  await verify();
} else {
  console.error('usage: node httpsig.mjs sign|verify');
  process.exit(2);
}
