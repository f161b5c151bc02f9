// The service behind `tabard gate serve` in the load test: answers GET /orders/{id} with {"id": …} and POST /orders
// with {"placed":true}, as GateLoad's handler does. Usage: node gate-upstream.mjs PORT
import {createServer} from 'node:http';

const port = Number(process.argv[2]);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url.split('?')[0];
    const body = JSON.stringify(req.method === 'POST' ? {placed: true} : {id: path.substring(path.lastIndexOf('/') + 1)});
    res.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)}).end(body);
  });
}).listen(port, '127.0.0.1', () => console.log(`upstream on ${port}`));
