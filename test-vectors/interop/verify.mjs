// Independent implementations verify what Tabard issues (dev.tabard.vectors.interop.TabardIssued writes
// ../src/test/resources/vectors/interop/tabard-issued.json) and refuse every tampered copy. One line per check;
// exit code 1 on any unexpected outcome. Usage: npm ci && node verify.mjs
import {readFileSync} from 'node:fs';
import {createHash} from 'node:crypto';
import * as jose from 'jose';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import {verifyCredential as didJwtVcVerifyCredential, verifyPresentation as didJwtVcVerifyPresentation} from 'did-jwt-vc';
import {verifyJWS} from 'did-jwt';
import {Resolver} from 'did-resolver';
import {getResolver as keyDidResolver} from 'key-did-resolver';
import {documentLoaderWith} from './loader.mjs';
import {check, line, noteUnexpected, unexpected} from './checks.mjs';

const v = JSON.parse(readFileSync(new URL('../src/test/resources/vectors/interop/tabard-issued.json', import.meta.url), 'utf8'));
const now = new Date(v.verifyAt);
const {valid, tampered, challenge, domain} = v;
const BAD_JWS = /signature verification failed/;
const BAD_DID_JWT = /invalid_signature/;
const BAD_PROOF = /^Invalid signature/;

/** A documented limitation of a peer: it must refuse for the documented reason; if it starts to accept, say so. */
async function limitation(name, reason, fn) {
  try {
    await fn();
    noteUnexpected();
    line('NEW', name, 'now verifies: update the documented limitation');
  } catch (e) {
    if (reason.test(e.message)) {
      line('limit', name, e.message);
    } else {
      noteUnexpected();
      line('FAIL', name, `refused for an undocumented reason: ${e.message}`);
    }
  }
}

// --- jose: keys come from the did:key in kid, never from the token's payload --------------------------------------
async function didKeyJwk(kid) {
  const [did, fragment] = kid.split('#');
  const mb = did.substring('did:key:'.length);
  if (!did.startsWith('did:key:') || fragment !== mb) {
    throw new Error(`kid ${kid} is not a did:key verification method`);
  }
  const key = await Ed25519Multikey.from({publicKeyMultibase: mb, id: kid, controller: did});
  return {did, key: await jose.importJWK({...await Ed25519Multikey.toJwk({keyPair: key}), alg: 'EdDSA'}, 'EdDSA')};
}

async function joseVcJwt(token) {
  const {kid} = jose.decodeProtectedHeader(token);
  const {did, key} = await didKeyJwk(kid);
  const {payload} = await jose.jwtVerify(token, key, {typ: 'vc+jwt', algorithms: ['EdDSA'], currentDate: now});
  if (payload['@context']?.[0] !== 'https://www.w3.org/ns/credentials/v2' || !payload.type?.includes('VerifiableCredential')) {
    throw new Error('not a VC 2.0 credential');
  }
  if (payload.issuer !== did) {
    throw new Error(`issuer ${payload.issuer} did not sign (${did})`);
  }
  return payload;
}

async function joseVpJwt(token) {
  const {kid} = jose.decodeProtectedHeader(token);
  const {did, key} = await didKeyJwk(kid);
  const {payload} = await jose.jwtVerify(token, key, {typ: 'vp+jwt', algorithms: ['EdDSA'], currentDate: now, audience: domain,
    requiredClaims: ['nonce', 'exp']});
  if (payload.nonce !== challenge) {
    throw new Error('nonce is not the challenge');
  }
  if (payload.holder !== did) {
    throw new Error('holder did not sign');
  }
  for (const env of payload.verifiableCredential) {
    const prefix = 'data:application/vc+jwt,';
    if (env.type !== 'EnvelopedVerifiableCredential' || !env.id.startsWith(prefix)) {
      throw new Error('not an enveloped vc+jwt');
    }
    const credential = await joseVcJwt(env.id.substring(prefix.length));
    if (credential.credentialSubject.id !== did) {
      throw new Error('the holder is not the subject');
    }
  }
  return `holder ${did}, ${payload.verifiableCredential.length} credential(s)`;
}

await check('jose vc+jwt AgentCredential', 'verifies', async () => `issuer ${(await joseVcJwt(valid.vcJwt)).issuer}`);
await check('jose vc+jwt AgentCredential (tampered)', 'fails', () => joseVcJwt(tampered.vcJwt), BAD_JWS);
await check('jose vp+jwt (nonce, aud, enveloped vc+jwt)', 'verifies', () => joseVpJwt(valid.vpJwt));
await check('jose vp+jwt (for another audience)', 'fails',
  () => jose.jwtVerify(valid.vpJwt, async h => (await didKeyJwk(h.kid)).key, {currentDate: now, audience: 'https://other.example'}),
  /unexpected "aud" claim value/);
await check('jose vp+jwt (tampered)', 'fails', () => joseVpJwt(tampered.vpJwt), BAD_JWS);
await check('jose vc+jwt DelegationCredential (signed by the delegating agent)', 'verifies', async () => {
  const link = await joseVcJwt(valid.delegationJwt);
  if (link.issuer !== v.agent || link.credentialSubject.id !== v.delegate) {
    throw new Error(`issued by ${link.issuer} to ${link.credentialSubject.id}`);
  }
  return `${link.issuer} → ${link.credentialSubject.id}`;
});
await check('jose vc+jwt DelegationCredential (tampered)', 'fails', () => joseVcJwt(tampered.delegationJwt), BAD_JWS);
await check('DelegationCredential parent digest = multihash sha2-256 of the parent vc+jwt (node:crypto)', 'verifies', async () => {
  const link = await joseVcJwt(valid.delegationJwt);
  const digest = createHash('sha256').update(valid.vcJwt, 'ascii').digest();
  const expected = 'u' + Buffer.concat([Buffer.from([0x12, 0x20]), digest]).toString('base64url');
  if (link.parentCredential.digestMultibase !== expected) {
    throw new Error(`${link.parentCredential.digestMultibase} is not ${expected}`);
  }
  return expected;
});
await check('jose vc+jwt BitstringStatusListCredential', 'verifies', async () => (await joseVcJwt(valid.statusListJwt)).id);
await check('jose vc+jwt BitstringStatusListCredential (tampered)', 'fails',
  () => joseVcJwt(tampered.statusListJwt), BAD_JWS);

// --- did-jwt with key-did-resolver: the signature of a vc+jwt by the key the did:key resolves to -------------------
const resolver = new Resolver(keyDidResolver());
async function didJwtSignature(token) {
  const {kid} = jose.decodeProtectedHeader(token);
  const {didDocument} = await resolver.resolve(kid.split('#')[0]);
  if (!didDocument.assertionMethod.includes(kid)) {
    throw new Error(`${kid} is not an assertionMethod`);
  }
  const signer = verifyJWS(token, didDocument.verificationMethod.filter(m => m.id === kid));
  return `${signer.type} ${signer.id.split('#')[1].substring(0, 12)}…`;
}
await check('did-jwt verifyJWS + key-did-resolver: vc+jwt', 'verifies', () => didJwtSignature(valid.vcJwt));
await check('did-jwt verifyJWS + key-did-resolver: vc+jwt (tampered)', 'fails',
  () => didJwtSignature(tampered.vcJwt), BAD_DID_JWT);
// did-jwt-vc reads VC 1.1 JWTs only (the vc/vp claims, iss); Tabard emits VC 2.0 vc+jwt and no VC 1.1 JWT
await limitation('did-jwt-vc verifyCredential: VC 2.0 vc+jwt', /iss or client_id are required/,
  () => didJwtVcVerifyCredential(valid.vcJwt, resolver, {policies: {now: Math.floor(now / 1000)}}));
await limitation('did-jwt-vc verifyPresentation: VC 2.0 vp+jwt', /iss or client_id are required/,
  () => didJwtVcVerifyPresentation(valid.vpJwt, resolver, {challenge, domain, policies: {now: Math.floor(now / 1000)}}));

// --- Digital Bazaar: eddsa-rdfc-2022 credentials and presentation; status through vc-bitstring-status-list --------
const documentLoader = documentLoaderWith({[v.statusListUrl]: valid.statusListDi});
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const checkStatus = options => bsl.checkStatus({...options, suite, documentLoader});

/** The first specific reason in a Digital Bazaar result (their top-level error says only "Verification error(s)."). */
function reasonOf(result) {
  const errors = [];
  const walk = r => {
    if (!r || typeof r !== 'object') {
      return;
    }
    if (r.error) {
      (r.error.errors ?? [r.error]).forEach(e => errors.push(e.message));
    }
    [r.results, r.credentialResults, r.presentationResult?.results, r.statusResult ? [r.statusResult] : []]
      .forEach(list => (list ?? []).forEach(walk));
  };
  walk(result);
  return errors.find(m => !/^Verification error/.test(m)) ?? errors[0] ?? 'not verified';
}

async function dbCredential(credential) {
  const result = await vc.verifyCredential({credential, suite, documentLoader, now, checkStatus});
  if (!result.verified) {
    throw new Error(reasonOf(result));
  }
  const statuses = result.statusResult?.results ?? [];
  return statuses.length ? `status ${statuses.map(s => `${s.credentialStatus.statusPurpose}=${s.status}`).join(', ')}`
    : 'no status';
}
async function dbPresentation(presentation, expectedChallenge = challenge) {
  const result = await vc.verify({presentation, suite, documentLoader, now, checkStatus, challenge: expectedChallenge, domain});
  if (!result.verified) {
    throw new Error(reasonOf(result));
  }
  return `holder ${presentation.holder}, ${result.credentialResults.length} credential(s)`;
}
async function expectStatus(credential, expected) {
  const detail = await dbCredential(credential);
  if (detail !== `status revocation=${expected}`) {
    throw new Error(`expected revocation=${expected}, got ${detail}`);
  }
  return detail;
}

await check('@digitalbazaar/vc eddsa-rdfc-2022 AgentCredential (+ status list)', 'verifies',
  () => expectStatus(valid.diCredential, false));
await check('@digitalbazaar/vc eddsa-rdfc-2022 AgentCredential (tampered)', 'fails',
  () => dbCredential(tampered.diCredential), BAD_PROOF);
await check('@digitalbazaar/vc eddsa-rdfc-2022 VC 1.1 credential', 'verifies', () => dbCredential(valid.vc11DiCredential));
await check('@digitalbazaar/vc eddsa-rdfc-2022 VC 1.1 credential (tampered)', 'fails',
  () => dbCredential(tampered.vc11DiCredential), BAD_PROOF);
await check('@digitalbazaar/vc eddsa-rdfc-2022 presentation (challenge, domain)', 'verifies',
  () => dbPresentation(valid.diPresentation));
await check('@digitalbazaar/vc eddsa-rdfc-2022 presentation (another challenge)', 'fails',
  () => dbPresentation(valid.diPresentation, 'another'), /challenge is not as expected/);
await check('@digitalbazaar/vc eddsa-rdfc-2022 presentation (tampered)', 'fails',
  () => dbPresentation(tampered.diPresentation), BAD_PROOF);
await check('@digitalbazaar/vc eddsa-rdfc-2022 DelegationCredential (signed by the delegating agent)', 'verifies',
  () => dbCredential(valid.delegationDi));
await check('@digitalbazaar/vc eddsa-rdfc-2022 DelegationCredential (tampered)', 'fails',
  () => dbCredential(tampered.delegationDi), BAD_PROOF);
await check('@digitalbazaar/vc eddsa-rdfc-2022 BitstringStatusListCredential', 'verifies', () => dbCredential(valid.statusListDi));
await check('@digitalbazaar/vc eddsa-rdfc-2022 BitstringStatusListCredential (tampered)', 'fails',
  () => dbCredential(tampered.statusListDi), BAD_PROOF);
await check('vc-bitstring-status-list checkStatus: credential at a set bit is revoked', 'verifies',
  () => expectStatus(valid.revokedCredential, true));

async function bits(encodedList) {
  const list = await bsl.decodeList({encodedList});
  const set = [];
  for (let i = 0; i < list.length; i++) {
    if (list.getStatus(i)) {
      set.push(i);
    }
  }
  if (list.length !== 131072 || JSON.stringify(set) !== JSON.stringify(v.setBits)) {
    throw new Error(`length ${list.length}, set bits ${set}; expected ${v.setBits}`);
  }
  return `${list.length} entries, set: ${set.join(', ')}`;
}
await check('vc-bitstring-status-list decodeList (eddsa-rdfc-2022 list)', 'verifies',
  () => bits(valid.statusListDi.credentialSubject.encodedList));
await check('vc-bitstring-status-list decodeList (vc+jwt list, after jose)', 'verifies',
  async () => bits((await joseVcJwt(valid.statusListJwt)).credentialSubject.encodedList));

console.log(unexpected() === 0 ? 'interop: every Tabard-issued artifact verified as expected by the Node peers'
  : `interop: ${unexpected()} unexpected outcome(s)`);
process.exit(unexpected() === 0 ? 0 : 1);
