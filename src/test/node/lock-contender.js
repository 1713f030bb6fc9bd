// One contender for a Consul lock, following the algorithm of Go's api.Lock with the npm `consul` client:
// create a session, renew it every TTL/2, acquire the key, waiting with blocking queries while another
// session holds it. Holds the lock for <holdMs> (forever when negative), then destroys its session.
//
// Usage: node lock-contender.js <port> <key> <name> <ttl> <lockDelay> <retryMs> <holdMs>
// Prints one line per event: SESSION <id>, ACQUIRED <epoch ms>, RELEASING <epoch ms>, DONE.
const { EventEmitter } = require("node:events");
const Consul = require("consul");

const LOCK_FLAG = "3304740253564472344"; // Go api.Lock's flag value

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// "500ms", "10s", "1.5m" in milliseconds; anything else is a usage error, not a renewal every millisecond.
function durationMs(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) {
    throw new Error(`unsupported TTL "${text}": use ms, s or m`);
  }
  return Number(match[1]) * { ms: 1, s: 1000, m: 60000 }[match[2]];
}

// Go's Lock loop: read the key with a blocking query (index of the previous answer); while another session
// holds it, read again; when it is free, try to acquire.
async function acquire(consul, key, session, name, retryMs) {
  let index = "0";
  for (;;) {
    // A context asking for the response too, as node-consul's own watch does, to read X-Consul-Index.
    const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
    const [res, pair] = await consul.kv.get({ key, index, wait: "30s", ctx });
    index = res.headers["x-consul-index"];
    if (pair && pair.Session) {
      continue;
    }
    if (await consul.kv.set({ key, value: name, acquire: session, flags: LOCK_FLAG })) {
      return;
    }
    // Refused: the next read must not block on the old index. If the key is still free, the previous
    // holder's lock-delay is running, and only a timed pause helps.
    index = "0";
    const now = await consul.kv.get(key);
    if (!now || !now.Session) {
      await sleep(retryMs);
    }
  }
}

async function main() {
  const [port, key, name, ttl, lockDelay, retryMs, holdMs] = process.argv.slice(2);
  const consul = new Consul({ host: "127.0.0.1", port: Number(port) });
  const { ID: session } = await consul.session.create({ name, ttl, lockdelay: lockDelay });
  console.log(`SESSION ${session}`);
  const ttlMs = durationMs(ttl);
  let releasing = false;
  const renewal = setInterval(() => {
    consul.session.renew(session).catch((err) => {
      if (!releasing) {
        console.error(`renew failed: ${err.message}`);
        process.exit(3);
      }
    });
  }, ttlMs / 2);

  await acquire(consul, key, session, name, Number(retryMs));
  console.log(`ACQUIRED ${Date.now()}`);
  if (Number(holdMs) < 0) {
    return; // hold until killed; the renewal timer keeps the process alive
  }
  await sleep(Number(holdMs));
  releasing = true;
  clearInterval(renewal);
  console.log(`RELEASING ${Date.now()}`);
  await consul.session.destroy(session);
  console.log("DONE");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
