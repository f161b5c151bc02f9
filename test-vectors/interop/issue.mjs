// Independent implementations issue credentials that Tabard must verify (and tampered copies it must refuse).
// Output: ../src/test/resources/vectors/interop/node-issued.json, committed so the Java tests run without Node.
// Usage: npm ci && node issue.mjs
import {writeFileSync, mkdirSync} from 'node:fs';
import * as jose from 'jose';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import {createVerifiableCredentialJwt, createVerifiablePresentationJwt} from 'did-jwt-vc';
import {EdDSASigner} from 'did-jwt';
import {documentLoaderWith} from './loader.mjs';

// fixed seeds: the same keys on every run
const issuerKey = await Ed25519Multikey.generate({seed: new Uint8Array(32).fill(7)});
const agentKey = await Ed25519Multikey.generate({seed: new Uint8Array(32).fill(9)});
const issuerDid = `did:key:${issuerKey.publicKeyMultibase}`;
const agentDid = `did:key:${agentKey.publicKeyMultibase}`;
issuerKey.id = `${issuerDid}#${issuerKey.publicKeyMultibase}`;
issuerKey.controller = issuerDid;
agentKey.id = `${agentDid}#${agentKey.publicKeyMultibase}`;
agentKey.controller = agentDid;

const documentLoader = documentLoaderWith();

const now = Math.floor(Date.UTC(2026, 10, 22, 10, 0, 0) / 1000);
// A presentation answers one fresh challenge: Tabard refuses one valid longer than Verifier.MAX_PRESENTATION_LIFETIME
// (10 minutes) as LIFETIME_TOO_LONG, so the presentations below live 5 minutes, as TabardIssued's presentations do.
// Credentials keep their years.
const presentationLifetime = 5 * 60;
const agentCredential = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/tabard/v1'],
  id: 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e01',
  type: ['VerifiableCredential', 'AgentCredential'],
  issuer: issuerDid,
  validFrom: '2026-11-22T10:00:00Z',
  validUntil: '2036-11-22T10:00:00Z',
  credentialSubject: {
    id: agentDid, type: 'Agent', name: 'peer-agent',
    memberOf: {id: issuerDid, name: 'Peer Org'},
    operator: {name: 'Peer operators'},
    capabilities: ['supplier:lookup'],
    constraints: {dataRegions: ['EU']},
    delegation: {allowed: false, maxDepth: 0}
  }
};

// jose: VC 2.0 vc+jwt, and a VC 1.1 JWT with the vc claim
const publicJwk = await Ed25519Multikey.toJwk({keyPair: issuerKey});
const privateKey = await jose.importJWK({...publicJwk, d: Buffer.alloc(32, 7).toString('base64url'), alg: 'EdDSA'}, 'EdDSA');
const kid = issuerKey.id;
const vcJwt = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify({...agentCredential, iat: now})))
  .setProtectedHeader({alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid}).sign(privateKey);
const vc11 = {
  '@context': ['https://www.w3.org/2018/credentials/v1'],
  type: ['VerifiableCredential'],
  credentialSubject: {name: 'peer-agent'}
};
const vc11Jwt = await new jose.SignJWT({vc: vc11}).setProtectedHeader({alg: 'EdDSA', typ: 'JWT', kid})
  .setIssuer(issuerDid).setSubject(agentDid).setJti('urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e02')
  .setNotBefore(now).setExpirationTime(now + 10 * 365 * 24 * 3600).sign(privateKey);

// Digital Bazaar: eddsa-rdfc-2022 Data Integrity
const suite = new DataIntegrityProof({signer: issuerKey.signer(), cryptosuite: eddsaRdfc2022});
suite.date = '2026-11-22T10:00:00Z';
const diCredential = await vc.issue({credential: structuredClone(agentCredential), suite, documentLoader});

// did-jwt-vc: a VC 1.1 JWT and a VP JWT bound to a challenge (nonce) and domain (aud). did-jwt puts no kid in the
// header unless told; Tabard finds the key from kid only, so kid is set here.
const challenge = 'c-0d2f5b9e';
const domain = 'https://verifier.example';
const didJwtVc = await createVerifiableCredentialJwt({
  sub: agentDid, jti: 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e03', nbf: now, exp: now + 10 * 365 * 24 * 3600,
  vc: {'@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'],
    credentialSubject: {name: 'peer-agent'}}
}, {did: issuerDid, signer: EdDSASigner(new Uint8Array(32).fill(7)), alg: 'EdDSA'}, {header: {kid}});
const didJwtVp = await createVerifiablePresentationJwt({
  nbf: now, exp: now + presentationLifetime, jti: 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e04',
  vp: {'@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'],
    verifiableCredential: [didJwtVc]}
}, {did: agentDid, signer: EdDSASigner(new Uint8Array(32).fill(9)), alg: 'EdDSA'},
{challenge, domain, header: {kid: agentKey.id}});

// did-jwt-vc's default header has no kid; Tabard takes the key from kid only, so this one is refused (a known limit)
const didJwtVcNoKid = await createVerifiableCredentialJwt({
  sub: agentDid, jti: 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e08', nbf: now, exp: now + 10 * 365 * 24 * 3600,
  vc: {'@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'],
    credentialSubject: {name: 'peer-agent'}}
}, {did: issuerDid, signer: EdDSASigner(new Uint8Array(32).fill(7)), alg: 'EdDSA'});

// Digital Bazaar: a presentation of the eddsa-rdfc-2022 credential, signed by the agent for a challenge and domain,
// with a proof that expires 5 minutes after it was created (the suite's proof template is copied into the proof
// before signing, so expires is signed too)
const agentSuite = new DataIntegrityProof({signer: agentKey.signer(), cryptosuite: eddsaRdfc2022});
agentSuite.date = '2026-11-22T10:00:00Z';
agentSuite.proof = {expires: new Date((now + presentationLifetime) * 1000).toISOString().replace('.000Z', 'Z')};
const diPresentation = await vc.signPresentation({
  presentation: vc.createPresentation({verifiableCredential: [diCredential], holder: agentDid,
    id: 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e05'}),
  suite: agentSuite, challenge, domain, documentLoader
});

// @digitalbazaar/vc-bitstring-status-list: a revocation list with bits set, signed with eddsa-rdfc-2022; the same
// list as a jose vc+jwt (the form Tabard's verifier fetches); and two credentials pointing into it
const statusListUrl = 'https://peer.example/status/1';
const setBits = [7, 42, 131071];
const list = await bsl.createList({length: 131072});
setBits.forEach(i => list.setStatus(i, true));
const unsignedList = {
  ...await bsl.createCredential({id: statusListUrl, list, statusPurpose: 'revocation'}),
  issuer: issuerDid, validFrom: '2026-11-22T10:00:00Z', validUntil: '2036-11-22T10:00:00Z'
};
const statusList = await vc.issue({credential: structuredClone(unsignedList), suite, documentLoader});
const statusListJwt = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify({...unsignedList, iat: now})))
  .setProtectedHeader({alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid}).sign(privateKey);
function withStatus(index, id) {
  const credential = structuredClone(agentCredential);
  credential.id = id;
  credential.credentialStatus = {id: `${statusListUrl}#${index}`, type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: statusListUrl};
  return vc.issue({credential, suite, documentLoader});
}
const revokedCredential = await withStatus(42, 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e06');
const activeCredential = await withStatus(43, 'urn:uuid:0c5b2a4e-5a7e-4d7e-9a59-5d7f3c2d1e07');

function tamperJwt(token) {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  if (payload.credentialSubject) {
    payload.credentialSubject.capabilities = ['treasury:transfer'];
  } else if (payload.vp) {
    payload.vp.type = ['VerifiablePresentation', 'Tampered'];
  } else {
    payload.sub = 'did:example:someone-else';
  }
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}
const tamperedDi = structuredClone(diCredential);
tamperedDi.credentialSubject.capabilities = ['treasury:transfer'];
const tamperedPresentation = structuredClone(diPresentation);
tamperedPresentation.verifiableCredential[0].credentialSubject.capabilities = ['treasury:transfer'];
const clearedList = await bsl.createList({length: 131072});
const tamperedStatusList = structuredClone(statusList);
tamperedStatusList.credentialSubject.encodedList = await clearedList.encode();

const out = {
  generatedBy: {jose: '6.2.17', '@digitalbazaar/vc': '7.3.0', '@digitalbazaar/eddsa-rdfc-2022-cryptosuite': '1.3.0',
    '@digitalbazaar/vc-bitstring-status-list': '2.0.1', 'did-jwt-vc': '4.0.16', 'did-jwt': '8.0.9'},
  issuer: issuerDid, agent: agentDid, challenge, domain, statusListUrl, setBits,
  valid: {vcJwt, vc11Jwt, diCredential, didJwtVc, didJwtVp, diPresentation, statusList, statusListJwt,
    revokedCredential, activeCredential},
  tampered: {vcJwt: tamperJwt(vcJwt), vc11Jwt: tamperJwt(vc11Jwt), diCredential: tamperedDi,
    didJwtVc: tamperJwt(didJwtVc), didJwtVp: tamperJwt(didJwtVp), diPresentation: tamperedPresentation,
    statusList: tamperedStatusList},
  limits: {didJwtVcNoKid}
};
const dir = new URL('../src/test/resources/vectors/interop/', import.meta.url);
mkdirSync(dir, {recursive: true});
writeFileSync(new URL('node-issued.json', dir), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote node-issued.json: issuer ${issuerDid}`);
