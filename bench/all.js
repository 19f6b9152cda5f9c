// `npm run bench`: runs every benchmark in turn (each prints its own detailed table and a JSON
// line), then one table with every figure the issues set a target for, from those JSON lines.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

// BENCH_ONLY=sla,faq runs some of them.
const BENCHES = ['run.js', 'sla.js', 'assignment.js', 'usage.js', 'faq.js', 'consult-page.js', 'search.js', 'outbox-drain.js']
  .filter((f) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(path.basename(f, '.js')));

// The PostgreSQL pass (issue 8): these again with BENCH_DATABASE=postgres, each on a fresh database of
// BENCH_PG_URL's server (default postgres://postgres:postgres@127.0.0.1:5432/postgres; rows say
// "skipped (no PostgreSQL)" when it does not answer), then two instances (scale.js) and the mixed
// load (mixed.js, BENCH_MIXED_SECONDS, default 300). BENCH_SKIP_PG=1 leaves the pass out.
const PG_BENCHES = (process.env.BENCH_SKIP_PG ? [] : ['run.js', 'sla.js', 'assignment.js', 'usage.js', 'scale.js', 'outbox-drain.js', 'mixed.js'])
  .filter((f) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(path.basename(f, '.js')));

function runBench(file, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...extraEnv } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      const line = out.split('\n').reverse().find((l) => l.startsWith('{"benchmark"'));
      // A bench that measured but found a fault (a loss, an error) still gives its figures; one that
      // failed outright gives a row saying so, and the others still run.
      if (code !== 0 && !line) return resolve({ benchmark: path.basename(file, '.js'), failed: `exited with ${code}`, exitCode: code, ...(extraEnv.BENCH_DATABASE ? { database: extraEnv.BENCH_DATABASE } : {}) });
      resolve(line ? { ...JSON.parse(line), ...(code !== 0 ? { exitCode: code } : {}) } : null);
    });
  });
}

/** [figure, value, target, met?] rows from each benchmark's JSON line. */
function rows(r) {
  const ms = (v) => `${v} ms`;
  switch (r.benchmark) {
    case 'intake-smtp-postgres':
      return [
        ['intake messages/s (SMTP, 4 connections, one instance, PostgreSQL)', r.messagesPerSecond, '≥ 200', r.messagesPerSecond >= 200],
        ['intake time to 250, p95 (one instance, PostgreSQL)', ms(r.p95Ms), '< 100 ms', r.p95Ms < 100],
      ];
    case 'intake-scale-postgres':
      return [
        [`intake messages/s, ${r.instances} instances on one PostgreSQL (SMTP, ${r.connections} connections)`, r.messagesPerSecond, '≥ 300', r.messagesPerSecond >= 300],
        [`intake time to 250, p95 (${r.instances} instances, PostgreSQL)`, ms(r.p95Ms), '< 100 ms', r.p95Ms < 100],
        [`intake peak RSS per process (${r.instances} instances)`, r.peakRssMb.map((m) => `${m} MB`).join(', '), '< 250 MB', Math.max(...r.peakRssMb) < 250],
        [`intake loss, ${r.instances} instances (mails 250'd / missing / stored twice)`, `${r.accepted} / ${r.missing} / ${r.duplicated}`, 'none lost', !r.missing && !r.duplicated && r.accepted === r.messages],
      ];
    case 'mixed-postgres':
    case 'mixed-sqlite': {
      const where = r.database === 'postgres' ? `${r.instances} instances, PostgreSQL` : 'SQLite';
      const p95s = Object.entries(r.ops).map(([op, o]) => `${op} ${o.p95} ms`).join('; ');
      return [
        [`mixed load ${r.seconds} s (${where}): p95 per operation`, p95s, '', null],
        [`mixed load ${r.seconds} s (${where}): errors`, r.errors, '0', r.errors === 0],
        [`mixed load ${r.seconds} s (${where}): loss (mails 250'd / missing / twice; replies / not stored once / not delivered once; outbound delivered twice)`,
          `${r.accepted} / ${r.missing} / ${r.duplicated}; ${r.replies} / ${r.repliesNotStoredOnce} / ${r.repliesNotDeliveredOnce}; ${r.deliveredTwice}`, 'none',
          !r.missing && !r.duplicated && !r.repliesNotStoredOnce && !r.repliesNotDeliveredOnce && !r.deliveredTwice],
        [`mixed load ${r.seconds} s (${where}): outbox backlog after ${r.drainSeconds} s of drain (${r.outboundPerSecond} sent/s)`, `${r.stillQueued} queued (${r.repliesQueued} replies)`, '0', r.stillQueued === 0],
      ];
    }
    case 'outbox-drain-sqlite':
    case 'outbox-drain-postgres': {
      const where = r.database === 'postgres' ? `${r.instances} instances, PostgreSQL` : 'SQLite';
      return [
        [`outbox to an SMTP relay, ${r.mails.toLocaleString('en')} mails queued (${where}): sent/s`, r.perSecond, '', null],
        [`outbox drain (${where}): delivered twice / sent but not delivered / still queued`, `${r.deliveredTwice} / ${r.sentNotDelivered} / ${r.stillQueued}`, 'none', !r.deliveredTwice && !r.sentNotDelivered && !r.stillQueued],
      ];
    }
    case 'intake-smtp-sqlite':
      return [
        ['intake messages/s (SMTP, 4 connections, SQLite)', r.messagesPerSecond, '≥ 200', r.messagesPerSecond >= 200],
        ['intake time to 250, p95', ms(r.p95Ms), '< 100 ms', r.p95Ms < 100],
        ['intake server peak RSS', `${r.peakRssMb} MB`, '< 250 MB', r.peakRssMb < 250],
      ];
    case 'sla':
      return [
        ['due-time computations/s', Math.round(r.dueTimesPerSecond).toLocaleString('en'), '≥ 1,000,000', r.dueTimesPerSecond >= 1e6],
        [`SLA report, one month of ${r.consults.toLocaleString('en')} consults (median)`, ms(r.reportMedianMs), '< 300 ms', r.reportMedianMs < 300],
      ];
    case 'assignment': {
      const queue = Object.values(r.queue).map((q) => q.p95);
      return [
        ['assignment decision, 200 experts, 10,000 open (p95)', ms(r.decisionP95Ms), '< 5 ms', r.decisionP95Ms < 5],
        [`queue pages, ${r.consults.toLocaleString('en')} consults (worst view p95)`, ms(Math.max(...queue)), '< 100 ms', Math.max(...queue) < 100],
      ];
    }
    case 'usage': {
      const worst = Math.max(r.openPageMs, r.closedPageMs, r.openCsvMs, r.closedCsvMs);
      return [[`usage page and billing CSV, ${r.members.toLocaleString('en')} members, ${r.consults.toLocaleString('en')} consults (worst median)`, ms(worst), '< 300 ms', worst < 300]];
    }
    case 'faq':
      return [
        ['FAQ search, 20,000 entries (p95, through HTTP)', ms(r.searchP95Ms), '< 20 ms', r.searchP95Ms < 20],
        ['FAQ promotion of a 50-message consult (median)', ms(r.promotionMedianMs), '< 200 ms', r.promotionMedianMs < 200],
      ];
    case 'consult-search':
      return [['consult search, 100,000 consults (p95, GET /api/tickets?q= through HTTP)', ms(r.searchP95Ms), '< 50 ms', r.searchP95Ms < 50]];
    case 'consult-page':
      return [
        ['consult page, 200 messages, as an expert (masked, p95)', ms(r.pageExpertP95Ms), '< 100 ms', r.pageExpertP95Ms < 100],
        ['GET /api/tickets/:n, 200 messages, as an expert (masked, p95)', ms(r.apiExpertP95Ms), '< 100 ms', r.apiExpertP95Ms < 100],
      ];
    default:
      return [];
  }
}

const DB_LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * What this machine does in fixed work, so figures from different machines can be compared: the
 * same commit measured 2× apart on two machines of the same kind. CPU: SHA-256 of 64 MB plus a
 * 100 M-step loop; disk: a durable 10 KB file write (create, write, fsync, rename) in the temp dir.
 */
function machineReference() {
  const crypto = require('crypto');
  const os = require('os');
  let started = process.hrtime.bigint();
  crypto.createHash('sha256').update(Buffer.alloc(64 * 1024 * 1024, 7)).digest();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i % 7;
  const cpuMs = Number(process.hrtime.bigint() - started) / 1e6;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-ref-'));
  const data = Buffer.alloc(10_000, x % 256);
  started = process.hrtime.bigint();
  for (let i = 0; i < 100; i++) {
    const fd = fs.openSync(path.join(dir, `${i}.tmp`), 'wx');
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(path.join(dir, `${i}.tmp`), path.join(dir, String(i)));
  }
  const fileMs = Number(process.hrtime.bigint() - started) / 1e6 / 100;
  fs.rmSync(dir, { recursive: true, force: true });
  return { cpuReferenceMs: Math.round(cpuMs), durableFileWriteMs: Math.round(fileMs * 100) / 100, loadAverage: os.loadavg()[0] };
}

/** rows(r), each figure naming its database; a bench skipped for want of PostgreSQL gives one row saying so. */
function tableRows(r) {
  if (r.skipped) return [[`${r.benchmark} on PostgreSQL`, `skipped (${r.skipped})`, '', null]];
  if (r.failed) return [[`${r.benchmark}${r.database ? ` on ${DB_LABEL[r.database]}` : ''}`, `FAILED (${r.failed}; see its output above)`, '', false]];
  return rows(r).map(([figure, ...rest]) => [r.database && !/SQLite|PostgreSQL/.test(figure) ? `${figure}, ${DB_LABEL[r.database]}` : figure, ...rest]);
}

async function main() {
  const began = Date.now();
  const machine = machineReference();
  const results = [];
  for (const file of BENCHES) results.push(await runBench(file));
  for (const file of PG_BENCHES) results.push(await runBench(file, { BENCH_DATABASE: 'postgres' }));
  const table = results.filter(Boolean).flatMap(tableRows).map(([figure, value, target, met]) => ({ figure, value: String(value), target, met }));
  const minutes = Math.round((Date.now() - began) / 6000) / 10;
  const markdown = [
    `## All figures (Node ${process.version}, ${require('os').cpus().length} CPUs, ${minutes} min)`, '',
    `Machine reference: CPU work ${machine.cpuReferenceMs} ms, durable 10 KB file write ${machine.durableFileWriteMs} ms, load average ${machine.loadAverage.toFixed(2)} at the start (compare figures only between runs with similar references).`, '',
    '| figure | value | target | met |', '| --- | --- | --- | --- |',
    ...table.map((t) => `| ${t.figure} | ${t.value} | ${t.target} | ${t.met === null ? '' : t.met ? 'yes' : 'NO'} |`), '',
  ].join('\n');
  console.log(`\n${markdown}`);
  // Also as files: bench/results/latest.json (every bench's own figures too) and latest.md (git-ignored).
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify({ finishedAt: new Date().toISOString(), node: process.version, minutes, machine, table, results: results.filter(Boolean) }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), markdown);
  console.log(`written: ${path.relative(process.cwd(), path.join(dir, 'latest.json'))}, ${path.relative(process.cwd(), path.join(dir, 'latest.md'))}`);
  if (results.some((r) => r?.exitCode)) process.exitCode = 1;
}

main().catch((err) => { console.error(err); process.exit(1); });
