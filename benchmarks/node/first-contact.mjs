// Sends the caller's first-contact request from DIR/gate.json (the signed request carrying its presentation) to a gate
// on 127.0.0.1:PORT, with the Host it was signed for, and exits 0 when the gate accepted it (the caller is bound).
// Usage: node first-contact.mjs PORT DIR
import {request} from 'node:http';
import {readFileSync} from 'node:fs';

const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const first = JSON.parse(readFileSync(`${dir}/gate.json`, 'utf8')).firstContact;
const target = new URL(first.targetUri);
const body = Buffer.from(first.body, 'base64url');
const req = request({host: '127.0.0.1', port, method: first.method, path: target.pathname + target.search,
  headers: {...first.fields, host: target.host, ...(body.length ? {'content-length': body.length} : {})}}, res => {
  const chunks = [];
  res.on('data', c => chunks.push(c));
  res.on('end', () => {
    console.log(`first contact: ${res.statusCode} ${Buffer.concat(chunks).toString().substring(0, 200)}`);
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
});
req.end(body);
