// SD-JWT VC round trips with the @sd-jwt packages (an implementation independent of Tabard's).
//   node sd-jwt.mjs issue   writes ../src/test/resources/vectors/interop/node-sd-jwt.json: AgentCredential SD-JWT VCs
//                           with key-binding presentations, a Token Status List, and tampered copies Tabard must refuse
//   node sd-jwt.mjs verify  checks ../src/test/resources/vectors/interop/tabard-sd-jwt.json (written by TabardSdJwt):
//                           every valid presentation verifies here, every tampered one fails
// Keys come from fixed seeds and salts from a counter, so 'issue' writes the same file on every run.
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createHash, createPrivateKey, createPublicKey, sign as edSign, verify as edVerify} from 'node:crypto';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {digest} from '@sd-jwt/crypto-nodejs';
import {StatusList, createHeaderAndPayload, getListFromStatusListJWT} from '@sd-jwt/jwt-status-list';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const OUT = '../src/test/resources/vectors/interop';
const b64u = (buf) => Buffer.from(buf).toString('base64url');
const now = Math.floor(Date.UTC(2026, 10, 22, 10, 0, 0) / 1000);
const audience = 'https://verifier.example';
const nonce = 'node-nonce-1';

/** An Ed25519 key from a fixed seed: node's KeyObject, its public JWK, and its did:key. */
async function key(fill) {
  const seed = Buffer.alloc(32, fill);
  const priv = createPrivateKey({key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8'});
  const jwk = createPublicKey(priv).export({format: 'jwk'});
  const mk = await Ed25519Multikey.generate({seed: new Uint8Array(seed)});
  const did = `did:key:${mk.publicKeyMultibase}`;
  return {priv, jwk, did, kid: `${did}#${mk.publicKeyMultibase}`};
}
const signer = (k) => async (data) => b64u(edSign(null, Buffer.from(data), k.priv));
const verifierFor = (jwk) => async (data, sig) => edVerify(null, Buffer.from(data), createPublicKey({key: jwk, format: 'jwk'}), Buffer.from(sig, 'base64url'));
const sha256 = (data, alg) => digest(data, alg);
function counterSalts() {
  let n = 0;
  return () => b64u(createHash('sha256').update(`salt-${n++}`).digest()).slice(0, 22);
}
/** A compact JWS signed with Ed25519 (for the copies the library would not make). */
function jws(header, payload, k) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(edSign(null, Buffer.from(input), k.priv))}`;
}
const part = (jwt, i) => JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString());
const sdHash = (s) => b64u(createHash('sha256').update(s).digest());
/** A presentation `issuerJwt~d…~` with a key-binding JWT signed by `k`. */
function withKb(prefix, k, kbNonce) {
  return prefix + jws({alg: 'EdDSA', typ: 'kb+jwt'}, {iat: now, aud: audience, nonce: kbNonce, sd_hash: sdHash(prefix)}, k);
}

async function issue() {
  const issuer = await key(7);
  const holder = await key(9);
  const other = await key(11);
  const sd = new SDJwtVcInstance({signer: signer(issuer), signAlg: 'EdDSA', verifier: verifierFor(issuer.jwk), hasher: sha256,
    hashAlg: 'sha-256', saltGenerator: counterSalts(), kbSigner: signer(holder), kbSignAlg: 'EdDSA'});
  const statusUri = 'https://issuer.example/status-lists/1';
  const claims = (idx) => ({
    iss: issuer.did, sub: holder.did, vct: 'https://w3id.org/tabard/vct/AgentCredential', iat: now, exp: now + 10 * 365 * 86400,
    cnf: {jwk: holder.jwk}, name: 'peer-agent', organization: {id: issuer.did, name: 'Peer Org'},
    operator: {name: 'Peer Ops', email: 'ops@peer.example'}, capabilities: ['purchase'],
    constraints: {maxTransactionValue: {amount: '500', currency: 'EUR'}, dataRegions: ['EU']},
    delegation: {allowed: false, maxDepth: 0}, status: {status_list: {idx, uri: statusUri}},
  });
  const frame = {operator: {_sd: ['email']}, constraints: {_sd: ['maxTransactionValue']}};
  const header = {header: {typ: 'dc+sd-jwt', kid: issuer.kid}};
  const credential = await sd.issue(claims(0), frame, header);
  const kb = {kb: {payload: {iat: now, aud: audience, nonce}}};
  const both = await sd.present(credential, {operator: {email: true}, constraints: {maxTransactionValue: true}}, kb);
  const emailOnly = await sd.present(credential, {operator: {email: true}}, kb);
  const revokedCredential = await sd.issue(claims(3), frame, header);
  const revoked = await sd.present(revokedCredential, {operator: {email: true}}, kb);

  const [jwt, ...rest] = both.split('~');
  const disclosures = rest.slice(0, -1);
  const altered = JSON.parse(Buffer.from(disclosures[0], 'base64url').toString());
  altered[2] = typeof altered[2] === 'string' ? 'attacker@evil.example' : {amount: '500000', currency: 'EUR'};
  const alteredPrefix = `${jwt}~${b64u(JSON.stringify(altered))}~${disclosures[1]}~`;
  const reorderedPrefix = `${jwt}~${disclosures[1]}~${disclosures[0]}~`;
  // the issuer signs again over a payload with one digest fewer: the disclosure it covered is now an orphan
  const payload = part(jwt, 1);
  const dropped = {...payload, operator: {...payload.operator, _sd: []}};
  const droppedPrefix = `${jws(part(jwt, 0), dropped, issuer)}~${disclosures.join('~')}~`;
  const prefix = `${jwt}~${disclosures.join('~')}~`;

  const list = new StatusList([0, 0, 0, 1, 0, 2, 0, 0], 2);
  const {header: slHeader, payload: slPayload} = createHeaderAndPayload(list,
    {iss: issuer.did, sub: statusUri, iat: now, exp: now + 3600, ttl: 600}, {alg: 'EdDSA', typ: 'statuslist+jwt', kid: issuer.kid});
  const statusListJwt = jws(slHeader, slPayload, issuer);

  // an issuer named by an https URL, whose keys are in its JWT VC Issuer Metadata rather than a DID document
  const webIssuer = 'https://issuer.example/tenants/peer';
  const webClaims = {iss: webIssuer, vct: 'https://credentials.example/Supplier', iat: now, exp: now + 10 * 365 * 86400,
    cnf: {jwk: holder.jwk}, name: 'Peer Supplier', tier: 'gold'};
  const webHeader = {header: {typ: 'dc+sd-jwt', kid: 'peer-key-1'}};
  const webOptions = {signAlg: 'EdDSA', hasher: sha256, hashAlg: 'sha-256', saltGenerator: counterSalts(), kbSigner: signer(holder), kbSignAlg: 'EdDSA'};
  const web = new SDJwtVcInstance({...webOptions, signer: signer(issuer)});
  const webPresentation = await web.present(await web.issue(webClaims, {_sd: ['tier']}, webHeader), {tier: true}, kb);
  const forger = new SDJwtVcInstance({...webOptions, signer: signer(other)});
  const forged = await forger.present(await forger.issue(webClaims, {_sd: ['tier']}, webHeader), {tier: true}, kb);

  const out = {
    note: 'Written by test-vectors/interop/sd-jwt.mjs issue with @sd-jwt/sd-jwt-vc; Tabard verifies the valid ones and refuses the tampered ones',
    now, audience, nonce, issuer: issuer.did,
    valid: [
      {name: 'both private claims disclosed', presentation: both, disclosed: [['constraints', 'maxTransactionValue'], ['operator', 'email']]},
      {name: 'only the operator email disclosed', presentation: emailOnly, disclosed: [['operator', 'email']]},
    ],
    revoked: {presentation: revoked, statusIndex: 3},
    statusList: {uri: statusUri, jwt: statusListJwt, bits: 2, statuses: {0: 'VALID', 3: 'INVALID', 5: 'SUSPENDED'}},
    httpsIssuer: {
      metadata: {issuer: webIssuer, jwks: {keys: [{...issuer.jwk, kid: 'peer-key-1', use: 'sig'}]}},
      presentation: webPresentation, disclosed: [['tier']],
      forged: {name: 'signed by a key the metadata does not publish', presentation: forged},
    },
    tampered: [
      {name: 'altered disclosure', presentation: withKb(alteredPrefix, holder, nonce)},
      {name: 'reordered disclosures', presentation: reorderedPrefix + both.split('~').pop()},
      {name: 'dropped _sd digest', presentation: withKb(droppedPrefix, holder, nonce)},
      {name: 'wrong key-binding nonce', presentation: withKb(prefix, holder, 'another-nonce')},
      {name: 'key binding signed by another key', presentation: withKb(prefix, other, nonce)},
    ],
  };
  if (getListFromStatusListJWT(statusListJwt).getStatus(3) !== 1) {
    throw new Error('the status list does not read back');
  }
  mkdirSync(OUT, {recursive: true});
  writeFileSync(`${OUT}/node-sd-jwt.json`, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${OUT}/node-sd-jwt.json`);
}

/** Whether every disclosure of `presentation` is one the issuer-signed payload (after the others) refers to. */
function noOrphans(presentation) {
  const [jwt, ...rest] = presentation.split('~');
  const digests = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) {
      v.forEach((e) => (e && typeof e === 'object' && '...' in e ? digests.add(e['...']) : walk(e)));
    } else if (v && typeof v === 'object') {
      (v._sd || []).forEach((d) => digests.add(d));
      Object.values(v).forEach(walk);
    }
  };
  walk(part(jwt, 1));
  const ds = rest.slice(0, -1);
  ds.forEach((d) => walk(JSON.parse(Buffer.from(d, 'base64url').toString())));
  return ds.every((d) => digests.has(b64u(createHash('sha256').update(d).digest())));
}

/** A signature check with the key an issuer's JWT VC Issuer Metadata publishes for the JWT's kid. */
const fromMetadata = (metadata) => async (data, sig) => {
  const [h, p] = data.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (payload.iss !== metadata.issuer) {
    throw new Error(`the metadata speaks for ${metadata.issuer}, not ${payload.iss}`);
  }
  const jwk = metadata.jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) {
    throw new Error(`the issuer's metadata publishes no key ${header.kid}`);
  }
  const {kid, use, ...pub} = jwk;
  return verifierFor(pub)(data, sig);
};

async function verify() {
  const v = JSON.parse(readFileSync(`${OUT}/tabard-sd-jwt.json`, 'utf8'));
  const sd = new SDJwtVcInstance({verifier: verifierFor(v.issuerJwk), hasher: sha256, hashAlg: 'sha-256',
    kbVerifier: async (data, sig, payload) => verifierFor(payload.cnf.jwk)(data, sig),
    // the credentials' status list is the one in the file (its entry 0, VALID); the library verifies its signature
    statusListFetcher: async (uri) => {
      if (uri !== v.statusList.uri) {
        throw new Error(`unexpected status list ${uri}`);
      }
      return v.statusList.jwt;
    }});
  const check = async (p) => {
    const r = await sd.verify(p.presentation, {keyBindingNonce: v.nonce, requiredClaimKeys: ['vct', 'iss'], currentDate: v.now});
    if (!r.kb || r.kb.payload.aud !== v.audience || r.kb.payload.nonce !== v.nonce) {
      throw new Error('the key-binding JWT is not for this audience and nonce');
    }
    if (!noOrphans(p.presentation)) {
      throw new Error('a disclosure is referred to by no digest');
    }
    return r.payload;
  };
  let failures = 0;
  for (const p of v.valid) {
    try {
      const claims = await check(p);
      const email = claims.operator && claims.operator.email;
      const shownEmail = p.disclosed.some((d) => d.join('.') === 'operator.email');
      if (shownEmail !== (email !== undefined)) {
        throw new Error(`operator.email disclosed: ${email !== undefined}, expected ${shownEmail}`);
      }
      console.log(`ok     ${p.name}`);
    } catch (e) {
      failures++;
      console.log(`FAILED ${p.name}: ${e.message}`);
    }
  }
  for (const p of v.tampered) {
    try {
      await check(p);
      failures++;
      console.log(`FAILED ${p.name}: verified, but it was tampered with`);
    } catch (e) {
      console.log(`ok     ${p.name} refused: ${e.message}`);
    }
  }
  const web = new SDJwtVcInstance({verifier: fromMetadata(v.httpsIssuer.metadata), hasher: sha256, hashAlg: 'sha-256',
    kbVerifier: async (data, sig, payload) => verifierFor(payload.cnf.jwk)(data, sig)});
  const checkWeb = async (presentation) => {
    const r = await web.verify(presentation, {keyBindingNonce: v.nonce, requiredClaimKeys: ['vct', 'iss'], currentDate: v.now});
    if (!r.kb || r.kb.payload.aud !== v.audience) {
      throw new Error('the key-binding JWT is not for this audience');
    }
    return r.payload;
  };
  try {
    const claims = await checkWeb(v.httpsIssuer.presentation);
    if (claims.tier !== 'gold' || claims.iss !== v.httpsIssuer.metadata.issuer) {
      throw new Error(`unexpected claims ${JSON.stringify(claims)}`);
    }
    console.log('ok     https issuer, key from its JWT VC Issuer Metadata');
  } catch (e) {
    failures++;
    console.log(`FAILED https issuer: ${e.message}`);
  }
  try {
    await checkWeb(v.httpsIssuer.forged.presentation);
    failures++;
    console.log(`FAILED ${v.httpsIssuer.forged.name}: verified`);
  } catch (e) {
    console.log(`ok     ${v.httpsIssuer.forged.name} refused: ${e.message}`);
  }
  const list = getListFromStatusListJWT(v.statusList.jwt);
  for (const [idx, expected] of Object.entries(v.statusList.statuses)) {
    const got = ['VALID', 'INVALID', 'SUSPENDED'][list.getStatus(Number(idx))];
    if (got !== expected) {
      failures++;
      console.log(`FAILED status list entry ${idx}: ${got}, expected ${expected}`);
    }
  }
  if (failures > 0) {
    console.error(`${failures} SD-JWT check(s) failed`);
    process.exit(1);
  }
  console.log('every Tabard SD-JWT VC check passed');
}

const mode = process.argv[2];
if (mode === 'issue') {
  await issue();
} else if (mode === 'verify') {
  await verify();
} else {
  console.error('usage: node sd-jwt.mjs issue|verify');
  process.exit(2);
}
