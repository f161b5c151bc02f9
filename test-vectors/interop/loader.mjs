// The JSON-LD document loader both scripts use: the contexts bundled in Tabard's jar, and did:key documents built
// locally (as Tabard's KeyDidResolver does); nothing is fetched, so neither side depends on the network.
import {readFileSync} from 'node:fs';

const contextDir = new URL('../../did-core/src/main/resources/dev/tabard/jsonld/contexts/', import.meta.url);
const contexts = Object.fromEntries(Object.entries({
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://www.w3.org/2018/credentials/v1': 'credentials-v1.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/tabard/v1': 'tabard-v1.jsonld'
}).map(([url, file]) => [url, JSON.parse(readFileSync(new URL(file, contextDir), 'utf8'))]));

/** A documentLoader over the bundled contexts, did:key, and the given extra documents (by URL). */
export function documentLoaderWith(extra = {}) {
  return async url => {
    if (contexts[url]) {
      return {contextUrl: null, documentUrl: url, document: contexts[url]};
    }
    if (extra[url]) {
      return {contextUrl: null, documentUrl: url, document: extra[url]};
    }
    if (url.startsWith('did:key:')) {
      const [did] = url.split('#');
      const mb = did.substring(8);
      const vm = {'@context': 'https://w3id.org/security/multikey/v1', id: `${did}#${mb}`, type: 'Multikey', controller: did,
        publicKeyMultibase: mb};
      return {contextUrl: null, documentUrl: url, document: url.includes('#') ? vm : {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did,
        verificationMethod: [vm], assertionMethod: [vm.id], authentication: [vm.id]}};
    }
    throw new Error(`refusing to load ${url}`);
  };
}
