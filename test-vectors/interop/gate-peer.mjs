// The Tabard agent gate against an independent RFC 9421 implementation, the npm package http-message-signatures
// (exact version in package.json), as the calling agent and as the checker of the gate's answers.
//   node gate-peer.mjs sign [DIR...]  reads ../src/test/resources/vectors/interop/tabard-gate-agents.json (written by
//                                     dev.tabard.vectors.gate.GateVectors: each agent's key id, AgentCredential and
//                                     first-contact vp+jwt) and writes node-gate-requests.json there (and into each
//                                     DIR): requests to the gate signed by the package with the agents' keys (Ed25519
//                                     and P-256 did:key), first contact carrying the presentation, then signature only,
//                                     and tampered copies. Tabard's GatePeerTest runs its gate over them.
//   node gate-peer.mjs verify         checks tabard-gate-responses.json (the gate's signed answers to the Ed25519
//                                     requests) with the package: each valid answer verifies, covers the request's
//                                     signature ("signature";req) and its Content-Digest is the body's; each tampered
//                                     copy fails for what was tampered. Exit code 1 on any unexpected outcome.
// Usage: npm ci && node gate-peer.mjs sign && node gate-peer.mjs verify (GateVectors runs in between, see pom.xml)
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {createPublicKey} from 'node:crypto';
import {httpbis, createSigner, createVerifier} from 'http-message-signatures';
import {didKeyUrl, ed25519Key, p256Key, sha256} from './keys.mjs';
import {check, unexpected} from './checks.mjs';

const vectors = new URL('../src/test/resources/vectors/interop/', import.meta.url);
const read = name => JSON.parse(readFileSync(new URL(name, vectors), 'utf8'));
// the same seeds as GateVectors: 32 bytes of this value
const ED25519_SEED = 0x66;
const P256_SEED = 0x77;

const header = (m, name) => Object.entries(m.headers).find(([n]) => n.toLowerCase() === name)?.[1];

// --- sign ------------------------------------------------------------------------------------------------------------
async function sign(dirs) {
  const agents = read('tabard-gate-agents.json');
  const created = new Date(agents.created * 1000);
  const keys = {ed25519: {key: ed25519Key(ED25519_SEED), alg: 'ed25519'}, p256: {key: p256Key(P256_SEED), alg: 'ecdsa-p256-sha256'}};
  for (const [name, k] of Object.entries(keys)) {
    k.kid = didKeyUrl(createPublicKey(k.key));
    if (k.kid !== agents.agents[name].keyid) {
      throw new Error(`the ${name} agent's key is ${k.kid}, Tabard's file names ${agents.agents[name].keyid}`);
    }
  }
  const order = value => JSON.stringify({total: {value, currency: 'EUR'}});

  /** A POST /orders signed by `agent` as the Tabard profile asks, `seconds` after the file's time. */
  const signed = async (agent, nonce, seconds, body, presentation) => {
    const headers = {'Content-Type': 'application/json', 'Content-Digest': sha256(body)};
    const fields = ['@method', '@target-uri', 'content-digest', 'content-type'];
    if (presentation) {
      headers['Tabard-Presentation'] = presentation;
      fields.push('tabard-presentation');
    }
    const at = new Date(created.getTime() + seconds * 1000);
    const k = keys[agent];
    return httpbis.signMessage({key: createSigner(k.key, k.alg, k.kid), name: 'sig1', fields,
      params: ['created', 'expires', 'nonce', 'keyid', 'alg'], paramValues: {created: at, expires: new Date(at.getTime() + 60_000), nonce}},
      {method: 'POST', url: `${agents.origin}/orders`, headers, body});
  };

  const valid = {};
  for (const agent of Object.keys(keys)) {
    const a = agents.agents[agent];
    valid[`${agent}First`] = await signed(agent, a.nonce, 0, order('120.00'), a.presentation);
    valid[`${agent}Next`] = await signed(agent, `node-gate-${agent}-signature-only`, 10, order('80.00'));
  }
  const withHeader = (m, name, value) => ({...m, headers: {...m.headers, [name]: value}});
  const flipped = m => {
    const sig = m.headers.Signature;
    const b64 = sig.substring(sig.indexOf('=:') + 2, sig.length - 1);
    const bytes = Buffer.from(b64, 'base64');
    bytes[5] ^= 1;
    return withHeader(m, 'Signature', `${sig.substring(0, sig.indexOf('=:'))}=:${bytes.toString('base64')}:`);
  };
  const out = {
    generatedBy: 'test-vectors/interop/gate-peer.mjs',
    library: 'http-message-signatures ' + JSON.parse(readFileSync(new URL('node_modules/http-message-signatures/package.json',
      import.meta.url), 'utf8')).version,
    origin: agents.origin,
    keys: {ed25519: keys.ed25519.kid, p256: keys.p256.kid},
    valid,
    tampered: {
      ed25519NextBody: {...valid.ed25519Next, body: order('480.00')},
      ed25519NextContentType: withHeader(valid.ed25519Next, 'Content-Type', 'text/plain'),
      ed25519NextSignature: flipped(valid.ed25519Next),
      p256NextSignature: flipped(valid.p256Next),
      p256NextTarget: {...valid.p256Next, url: `${agents.origin}/orders?total=1`},
      p256FirstPresentation: withHeader(valid.p256First, 'Tabard-Presentation', agents.agents.ed25519.presentation)
    },
    // signed honestly, refused for what they present: another gate's audience; another agent's presentation
    refused: {
      ed25519FirstOtherAudience: await signed('ed25519', agents.otherAudienceNonce, 5, order('10.00'), agents.otherAudiencePresentation),
      p256FirstWithAnotherAgentsPresentation: await signed('p256', agents.agents.ed25519.nonce, 5, order('10.00'),
        agents.agents.ed25519.presentation)
    }
  };
  const text = JSON.stringify(out, null, 2) + '\n';
  mkdirSync(vectors, {recursive: true});
  writeFileSync(new URL('node-gate-requests.json', vectors), text);
  for (const dir of dirs) {
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, 'node-gate-requests.json'), text);
  }
  console.log(`wrote node-gate-requests.json: ${Object.keys(valid).length} signed requests, `
    + `${Object.keys(out.tampered).length} tampered, ${Object.keys(out.refused).length} to be refused`);
}

// --- verify ----------------------------------------------------------------------------------------------------------

async function verify() {
  const v = read('tabard-gate-responses.json');
  const requests = read(v.requests).valid;
  // the gate signed at its fixed time; the time window is the caller's policy, so the wall-clock check is widened
  const tolerance = Math.abs(Math.floor(Date.now() / 1000) - v.created) + 600;
  const keys = new Map();
  for (const [kid, jwk] of Object.entries(v.keys)) {
    const key = createPublicKey({key: jwk, format: 'jwk'});
    if (didKeyUrl(key) !== kid) {
      throw new Error(`${kid} is not the did:key of its JWK`);
    }
    keys.set(kid, {id: kid, algs: ['ed25519'], verify: createVerifier(key, 'ed25519')});
  }
  const config = {keyLookup: async params => keys.get(params.keyid) ?? null, tolerance, all: true,
    requiredParams: ['created', 'expires', 'keyid'], requiredFields: ['@status', 'content-digest']};
  const verifyOne = async (m, label) => {
    const request = requests[m.request];
    const label1 = request.headers['Signature-Input'].split('=')[0];
    const input = header(m, 'signature-input');
    if (!input.includes(`"signature";req;key="${label1}"`)) {
      throw new Error(`the answer does not cover the request's signature: ${input}`);
    }
    if (m.status === 200 && !(input.includes('"tabard-decision"') && header(m, 'tabard-decision'))) {
      throw new Error(`an accepted call's answer carries and covers the gate's decision receipt: ${input}`);
    }
    const result = await httpbis.verifyMessage(config, {status: m.status, headers: m.headers},
      {method: request.method, url: request.url, headers: request.headers});
    if (result !== true) {
      throw new Error(`verifyMessage returned ${result}`);
    }
    if (header(m, 'content-digest') !== sha256(m.body)) {
      throw new Error(`Content-Digest ${header(m, 'content-digest')} is not the body's ${sha256(m.body)}`);
    }
    return `${label}: ${m.status}, signature over the request's signature and Content-Digest hold`;
  };
  for (const [name, m] of Object.entries(v.valid)) {
    await check(`http-message-signatures verifies the gate's ${name} answer`, 'verifies', () => verifyOne(m, name));
  }
  for (const [name, m] of Object.entries(v.tampered)) {
    const reason = name === 'ed25519FirstBody' ? /^Content-Digest .* is not the body's/ : /^verifyMessage returned false$/;
    await check(`http-message-signatures refuses the gate's ${name} answer (tampered)`, 'fails', () => verifyOne(m, name), reason);
  }
  console.log(unexpected() === 0 ? 'gate: every answer of the Tabard gate verified as expected by http-message-signatures'
    : `gate: ${unexpected()} unexpected outcome(s)`);
  process.exit(unexpected() === 0 ? 0 : 1);
}

const mode = process.argv[2];
if (mode === 'sign') {
  await sign(process.argv.slice(3));
} else if (mode === 'verify') {
  await verify();
} else {
  console.error('usage: node gate-peer.mjs sign [DIR...] | verify');
  process.exit(2);
}
