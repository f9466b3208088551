// Preloaded with `node -r` before xapi-statements' server: the service calls listen(port) without a host,
// which would bind every interface; tests must only ever bind 127.0.0.1.
// It also adds one test-only route, POST /__ece/clear, that empties the in-memory store so a
// session-scoped server can give each test a fresh LRS without a restart.
'use strict';
const net = require('net');
const path = require('path');

const originalListen = net.Server.prototype.listen;
const CLEAR_PATH = '/__ece/clear';

function clearStore(res) {
  // Same module instance the service uses (Node caches modules by resolved path).
  const repoPath = path.join(process.env.ECE_XAPI_STATEMENTS_DIR, 'dist', 'repo', 'factory.js');
  const repo = require(repoPath).default;
  repo.clearRepo().then(
    () => { res.writeHead(204); res.end(); },
    (err) => { res.writeHead(500, {'Content-Type': 'text/plain'}); res.end(String(err)); },
  );
}

net.Server.prototype.listen = function (...args) {
  // Express calls listen(port, callback); only numeric-port calls are rewritten.
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const port = Number(args[0]);
    const rest = args.slice(1).filter((a) => typeof a === 'function');
    const handlers = this.listeners('request');
    if (handlers.length) {
      this.removeAllListeners('request');
      this.on('request', (req, res) => {
        if (req.method === 'POST' && req.url === CLEAR_PATH) {
          clearStore(res);
          return;
        }
        for (const handler of handlers) handler.call(this, req, res);
      });
    }
    return originalListen.call(this, port, '127.0.0.1', ...rest);
  }
  return originalListen.apply(this, args);
};
