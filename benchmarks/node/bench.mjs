// Independent implementations on the inputs the JMH benchmarks use (written by dev.tabard.benchmarks.Fixtures):
// panva's jose for vc+jwt and vp+jwt, Digital Bazaar's vc with eddsa-rdfc-2022 for Data Integrity, and the
// OpenWallet Foundation's @sd-jwt/sd-jwt-vc for an SD-JWT VC with key binding.
// Usage: node bench.mjs ../target/fixtures/fixtures.json
import {readFileSync} from 'node:fs';
import {createPublicKey, verify as edVerify} from 'node:crypto';
import * as jose from 'jose';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {digest} from '@sd-jwt/crypto-nodejs';

const fx = JSON.parse(readFileSync(process.argv[2] ?? '../target/fixtures/fixtures.json', 'utf8'));
const now = new Date(fx.now * 1000);
const contextDir = new URL('../../did-core/src/main/resources/dev/tabard/jsonld/contexts/', import.meta.url);
const contexts = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/tabard/v1': 'tabard-v1.jsonld'
};
const loaded = Object.fromEntries(Object.entries(contexts).map(
  ([url, file]) => [url, JSON.parse(readFileSync(new URL(file, contextDir), 'utf8'))]));

// did:key documents built locally, as our KeyDidResolver does: no network on either side
async function documentLoader(url) {
  if (loaded[url]) {
    return {contextUrl: null, documentUrl: url, document: loaded[url]};
  }
  if (url.startsWith('did:key:')) {
    const [did] = url.split('#');
    const mb = did.substring('did:key:'.length);
    const vm = {
      '@context': 'https://w3id.org/security/multikey/v1',
      id: `${did}#${mb}`, type: 'Multikey', controller: did, publicKeyMultibase: mb
    };
    if (url.includes('#')) {
      return {contextUrl: null, documentUrl: url, document: vm};
    }
    const doc = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did, verificationMethod: [vm], assertionMethod: [vm.id], authentication: [vm.id]
    };
    return {contextUrl: null, documentUrl: url, document: doc};
  }
  throw new Error(`refusing to load ${url}`);
}

const orgKey = await jose.importJWK({...fx.orgJwk, alg: 'EdDSA'}, 'EdDSA');
const agentKey = await jose.importJWK({...fx.agentJwk, alg: 'EdDSA'}, 'EdDSA');
const jwtOptions = {currentDate: now, algorithms: ['EdDSA'], clockTolerance: 60};

async function verifyVcJwt(token) {
  const {payload} = await jose.jwtVerify(token, orgKey, {...jwtOptions, typ: 'vc+jwt'});
  if (!payload['@context'] || payload.issuer !== 'did:web:acme.example') {
    throw new Error('not the expected credential');
  }
  return payload;
}

async function verifyVpJwt(token) {
  const {payload} = await jose.jwtVerify(token, agentKey, {
    ...jwtOptions, typ: 'vp+jwt', audience: fx.audience
  });
  if (payload.nonce !== fx.nonce) {
    throw new Error('nonce');
  }
  for (const env of payload.verifiableCredential) {
    await verifyVcJwt(env.id.substring('data:application/vc+jwt,'.length));
  }
  return payload;
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
async function verifyDi(credential) {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, now, checkStatus: async () => ({verified: true})
  });
  if (!result.verified) {
    throw new Error(JSON.stringify(result.error ?? result, null, 1).substring(0, 800));
  }
  return result;
}

// the issuer's key known up front (as a cached did:web resolution is on our side) and the holder's cnf key imported
// once per distinct JWK, as Tabard keeps validated cnf keys
const orgPublic = createPublicKey({key: fx.orgJwk, format: 'jwk'});
const cnfKeys = new Map();
const cnfKey = (jwk) => {
  const id = JSON.stringify(jwk);
  if (!cnfKeys.has(id)) {
    cnfKeys.set(id, createPublicKey({key: jwk, format: 'jwk'}));
  }
  return cnfKeys.get(id);
};
const sdJwtVc = new SDJwtVcInstance({
  verifier: async (data, sig) => edVerify(null, Buffer.from(data), orgPublic, Buffer.from(sig, 'base64url')),
  kbVerifier: async (data, sig, payload) => edVerify(null, Buffer.from(data), cnfKey(payload.cnf.jwk), Buffer.from(sig, 'base64url')),
  hasher: digest, hashAlg: 'sha-256'
});
async function verifySdJwtVc(presentation) {
  const r = await sdJwtVc.verify(presentation, {keyBindingNonce: fx.nonce, requiredClaimKeys: ['vct', 'iss'], currentDate: fx.now});
  if (!r.kb || r.kb.payload.aud !== fx.audience || r.payload.iss !== 'did:web:acme.example') {
    throw new Error('not the expected SD-JWT VC presentation');
  }
  return r;
}

async function measure(name, fn, seconds = 5, warmupSeconds = 3) {
  const until = t => {
    const end = process.hrtime.bigint() + BigInt(t * 1e9);
    return () => process.hrtime.bigint() < end;
  };
  for (const more = until(warmupSeconds); more();) {
    await fn();
  }
  let ops = 0;
  const start = process.hrtime.bigint();
  for (const more = until(seconds); more(); ops++) {
    await fn();
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = ops / secs;
  console.log(`${name.padEnd(32)} ${rate.toFixed(1).padStart(10)} ops/s`);
  return rate;
}

const results = {
  joseVcJwtVerify: await measure('jose vc+jwt verify', () => verifyVcJwt(fx.vcJwt)),
  joseVpJwtVerifyOne: await measure('jose vp+jwt verify (1 vc)', () => verifyVpJwt(fx.vpJwt1)),
  joseVpJwtVerifyThree: await measure('jose vp+jwt verify (3 vc)', () => verifyVpJwt(fx.vpJwt3)),
  dbVcEddsaRdfc2022Verify: await measure('@digitalbazaar/vc eddsa-rdfc-2022 verify', () => verifyDi(fx.diCredential)),
  sdJwtVcWithKeyBindingVerify: await measure('@sd-jwt/sd-jwt-vc verify (KB)', () => verifySdJwtVc(fx.sdJwtPresentation))
};
console.log(JSON.stringify(results));
