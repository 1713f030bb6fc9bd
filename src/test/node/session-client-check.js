// Drives sessiond's session API with the npm `consul` client (2.0.1), unchanged, the way its users do.
// Usage: node session-client-check.js <port> <node-name>. Exits non-zero on the first failed expectation.
const assert = require("node:assert/strict");
const Consul = require("consul");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function main() {
  const [port, nodeName] = process.argv.slice(2);
  const consul = new Consul({ host: "127.0.0.1", port: Number(port) });

  const created = await consul.session.create({ name: "node-client", ttl: "15s", lockdelay: "5s", behavior: "delete" });
  assert.match(created.ID, UUID);
  const id = created.ID;

  const info = await consul.session.info(id);
  assert.equal(info.ID, id);
  assert.equal(info.Name, "node-client");
  assert.equal(info.TTL, "15s");
  assert.equal(info.LockDelay, 5_000_000_000);
  assert.equal(info.Behavior, "delete");
  assert.equal(info.Node, nodeName);

  const listed = await consul.session.list();
  assert.ok(listed.some((session) => session.ID === id), "list contains the session");

  const onNode = await consul.session.node(nodeName);
  assert.ok(onNode.some((session) => session.ID === id), "node lists the session");

  const renewed = await consul.session.renew(id);
  assert.equal(renewed.length, 1);
  assert.equal(renewed[0].ID, id);

  await consul.session.destroy(id);
  assert.equal(await consul.session.info(id), undefined, "info after destroy finds nothing");
  await assert.rejects(consul.session.renew(id), (err) => err.statusCode === 404, "renew after destroy is 404");

  console.log("node consul client: create, info, list, node, renew, destroy all behaved as with Consul");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
