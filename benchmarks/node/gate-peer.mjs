// An agent-call endpoint built on the http-message-signatures package that performs the checks of Tabard's gate on a
// request from an agent whose key is already bound: the RFC 9421 signature parsed and verified with the caller's
// Ed25519 key (keyid and alg must match; @method, @target-uri, content-digest and, when sent, content-type covered;
// created, expires, nonce and keyid present), the created/expires window (60 s skew, at most 5 minutes), the
// Content-Digest (RFC 9530, sha-256) of the body read, and the nonce not seen before (remembered until it expires).
// Its answer, a small JSON, is signed with the server's own Ed25519 key over @status, content-digest, content-type
// and the request's signature ("signature";req;key="tabard"). It does not match routes, authorize actions, limit
// rates or log decisions, which the gate does. The caller's key comes from DIR/gate.json (no credential to verify:
// the gate's binding is made before the load). Usage: node gate-peer.mjs PORT DIR
import {createServer} from 'node:http';
import {readFileSync, writeFileSync} from 'node:fs';
import {createHash, createPublicKey, generateKeyPairSync} from 'node:crypto';
import {httpbis, createSigner, createVerifier} from 'http-message-signatures';

const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const gate = JSON.parse(readFileSync(`${dir}/gate.json`, 'utf8'));
const callerKey = createPublicKey({key: gate.publicKeyJwk, format: 'jwk'});
const callerVerify = createVerifier(callerKey, 'ed25519');
const {privateKey, publicKey} = generateKeyPairSync('ed25519');
// the answers' key, for a client that checks them
writeFileSync(`${dir}/peer-${port}.jwk.json`, JSON.stringify(publicKey.export({format: 'jwk'})));
const serverSigner = createSigner(privateKey, 'ed25519', 'did:key:peer#server');
const SKEW = 60;
const MAX_LIFETIME = 300;
const MAX_BODY = 1_000_000;
const LABEL = 'tabard';

// nonce -> expires (seconds): a nonce is refused while it could still verify, then forgotten
const seen = new Map();
setInterval(() => {
  const now = Date.now() / 1000;
  for (const [nonce, until] of seen) if (until < now) seen.delete(nonce);
}, 10_000).unref();

class Refused extends Error {}

const sha256 = body => `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;

async function check(req, body) {
  const headers = req.headers;
  const digest = headers['content-digest'];
  if (!digest) throw new Refused('send Content-Digest');
  // the only algorithm the profile sends; a member list with others is refused rather than parsed here
  if (digest !== sha256(body)) throw new Refused('the body is not the one signed');
  const request = {method: req.method, url: `http://${headers.host}${req.url}`, headers};
  let params;
  const required = ['@method', '@target-uri', 'content-digest'];
  if (headers['content-type'] !== undefined) required.push('content-type');
  const ok = await httpbis.verifyMessage({
    keyLookup: async p => {
      if (p.keyid !== gate.keyId || (p.alg !== undefined && p.alg !== 'ed25519')) return null;
      params = p;
      return {id: gate.keyId, algs: ['ed25519'], verify: callerVerify};
    },
    requiredParams: ['created', 'expires', 'nonce', 'keyid'],
    requiredFields: required,
    tolerance: SKEW,
  }, request);
  if (!ok || !params) throw new Refused('the signature does not verify');
  const now = Date.now() / 1000;
  const created = params.created.getTime() / 1000;
  const expires = params.expires instanceof Date ? params.expires.getTime() / 1000 : Number(params.expires);
  if (created > now + SKEW || created < now - MAX_LIFETIME - SKEW || expires > created + MAX_LIFETIME || expires <= now - SKEW) {
    throw new Refused('the signature is not fresh');
  }
  const nonce = params.nonce;
  if (typeof nonce !== 'string' || nonce.length < 16 || nonce.length > 128) throw new Refused('bad nonce');
  if (seen.has(nonce)) throw new Refused('nonce replayed');
  seen.set(nonce, expires + SKEW);
  return request;
}

// RFC 9421 2.1.2: a dictionary member is its serialized value; the package hands back the parsed member
function signatureMember(name, params, message, req) {
  if (name !== 'signature' || !params.has('req')) return null;
  const sig = (req.headers.signature ?? '').split(',').map(s => s.trim()).find(s => s.startsWith(`${params.get('key')}=`));
  if (!sig) throw new Error('no such signature');
  return [sig.substring(sig.indexOf('=') + 1)];
}

async function answer(res, status, request, json) {
  const body = Buffer.from(JSON.stringify(json));
  const headers = {'content-type': 'application/json', 'content-digest': sha256(body)};
  const signed = await httpbis.signMessage({
    key: serverSigner,
    name: LABEL,
    fields: ['@status', 'content-digest', 'content-type', `"signature";req;key="${LABEL}"`],
    params: ['created', 'expires', 'keyid', 'alg'],
    paramValues: {expires: new Date(Date.now() + 60_000)},
    componentParser: signatureMember,
  }, {status, headers}, request);
  res.writeHead(status, {...signed.headers, 'content-length': body.length}).end(body);
}

createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', c => {
    size += c.length;
    if (size > MAX_BODY) req.destroy(); else chunks.push(c);
  });
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    try {
      const request = await check(req, body);
      const path = req.url.split('?')[0];
      const json = req.method === 'POST' ? {placed: true} : {id: path.substring(path.lastIndexOf('/') + 1)};
      await answer(res, 200, request, json);
    } catch (e) {
      // Refused, or the package's own errors (malformed, expired, missing parameters or fields)
      res.writeHead(401, {'content-type': 'application/problem+json'}).end(JSON.stringify({status: 401, detail: String(e.message)}));
    }
  });
}).listen(port, '127.0.0.1', () => console.log(`gate peer on ${port}`));
