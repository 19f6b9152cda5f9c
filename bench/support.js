// Helpers the benchmarks share: ports, the built server, SQLite seeding.
const net = require('net');

/** A loopback port nobody listens on now. */
const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

/** Waits until the built server answers /healthz (20 s at most). */
async function waitForServer(httpPort) {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).ok) return; } catch { /* not up yet */ }
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** sqlite3's callback API as promises: a statement on the database, a prepared statement's run. */
const run = (db, sql, params = []) => new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
const exec = (stmt, params) => new Promise((resolve, reject) => stmt.run(params, (err) => (err ? reject(err) : resolve())));

/** A members CSV of `count` members whose addresses are m<i>@bench.example.jp. */
const benchMembersCsv = (count) => ['club_id,nickname,email,company,contract_start', ...Array.from({ length: count }, (_, i) => `CST-${String(i).padStart(5, '0')},会員${i},m${i}@bench.example.jp,会社${i},2026-01-01`)].join('\n');

module.exports = { freePort, waitForServer, run, exec, benchMembersCsv };
