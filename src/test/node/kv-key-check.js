// Writes and reads KV keys holding ';' and non-ASCII text with the npm `consul` client (2.0.1), unchanged.
// Usage: node kv-key-check.js <port> <prefix>. Exits non-zero on the first failed expectation.
const assert = require("node:assert/strict");
const Consul = require("consul");

async function main() {
  const [port, prefix] = process.argv.slice(2);
  const consul = new Consul({ host: "127.0.0.1", port: Number(port) });
  const keys = [`${prefix}/app`, `${prefix}/app;v=2`, `${prefix}/café`];

  for (const key of keys) {
    assert.equal(await consul.kv.set(key, `value of ${key}`), true, `set ${key}`);
  }
  for (const key of keys) {
    const entry = await consul.kv.get(key);
    assert.equal(entry.Key, key);
    assert.equal(entry.Value, `value of ${key}`);
  }
  assert.deepEqual((await consul.kv.keys(`${prefix}/`)).sort(), [...keys].sort());
  console.log("node consul client: keys with ';' and UTF-8 stayed apart");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
