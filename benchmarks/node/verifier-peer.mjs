// A verification endpoint built on panva's jose that performs the checks Tabard's endpoint performs for a vp+jwt
// carrying one enveloped AgentCredential: JWS of the presentation by the holder's key, typ, exp, nonce = challenge,
// aud = domain, replay (holder + nonce), each credential's JWS by the org's key, typ, dates, holder binding, status
// (both lists, decoded once), trusted issuer and required capability. Keys are given (no DID resolution), which only
// favours the peer. Usage: node verifier-peer.mjs PORT DIR
import {createServer} from 'node:http';
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import * as jose from 'jose';

const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const fx = JSON.parse(readFileSync(`${dir}/fixtures.json`, 'utf8'));
const lists = JSON.parse(readFileSync(`${dir}/status-lists.json`, 'utf8'));
const now = new Date(fx.now * 1000);
const orgKey = await jose.importJWK({...fx.orgJwk, alg: 'EdDSA'}, 'EdDSA');
const agentKey = await jose.importJWK({...fx.agentJwk, alg: 'EdDSA'}, 'EdDSA');
const bits = {};
for (const [url, token] of Object.entries(lists)) {
  const {payload} = await jose.jwtVerify(token, orgKey, {currentDate: now, typ: 'vc+jwt'});
  bits[url] = gunzipSync(Buffer.from(payload.credentialSubject.encodedList.substring(1), 'base64url'));
}
const seen = new Set();
const opts = {currentDate: now, algorithms: ['EdDSA'], clockTolerance: 60};

async function verify(body) {
  const {payload: vp} = await jose.jwtVerify(body.verifiablePresentation, agentKey,
    {...opts, typ: 'vp+jwt', audience: body.options.domain});
  if (vp.nonce !== body.options.challenge) throw new Error('challenge');
  const key = `${vp.holder} ${vp.nonce}`;
  if (seen.has(key)) throw new Error('replayed');
  seen.add(key);
  let agent;
  for (const env of vp.verifiableCredential) {
    const {payload: vc} = await jose.jwtVerify(env.id.substring('data:application/vc+jwt,'.length), orgKey, {...opts, typ: 'vc+jwt'});
    if (vc.issuer !== 'did:web:acme.example') throw new Error('untrusted issuer');
    if (vc.credentialSubject.id !== vp.holder) throw new Error('holder');
    if (Date.parse(vc.validUntil) < now.getTime()) throw new Error('expired');
    for (const st of vc.credentialStatus) {
      const b = bits[st.statusListCredential];
      const i = Number(st.statusListIndex);
      if ((b[i >> 3] >> (7 - (i & 7))) & 1) throw new Error(st.statusPurpose);
    }
    if (!vc.credentialSubject.capabilities.includes('supplier:lookup')) throw new Error('capability');
    agent = vc.credentialSubject;
  }
  return {verified: true, agent: {id: agent.id, name: agent.name}};
}

createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', c => {
    size += c.length;
    if (size > 1_000_000) req.destroy(); else chunks.push(c);
  });
  req.on('end', async () => {
    try {
      const result = await verify(JSON.parse(Buffer.concat(chunks)));
      res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(result));
    } catch (e) {
      res.writeHead(422, {'content-type': 'application/problem+json'}).end(JSON.stringify({verified: false, detail: String(e.message)}));
    }
  });
}).listen(port, '127.0.0.1', () => console.log(`peer on ${port}`));
