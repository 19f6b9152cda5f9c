// `npm run bench`: runs every benchmark in turn (each prints its own detailed table and a JSON
// line), then one table with every figure the issues set a target for, from those JSON lines.
const { spawn } = require('child_process');
const path = require('path');

// BENCH_ONLY=sla,faq runs some of them.
const BENCHES = ['run.js', 'sla.js', 'assignment.js', 'usage.js', 'faq.js']
  .filter((f) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(path.basename(f, '.js')));

function runBench(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with ${code}`));
      const line = out.split('\n').reverse().find((l) => l.startsWith('{"benchmark"'));
      resolve(line ? JSON.parse(line) : null);
    });
  });
}

/** [figure, value, target, met?] rows from each benchmark's JSON line. */
function rows(r) {
  const ms = (v) => `${v} ms`;
  switch (r.benchmark) {
    case 'intake-smtp-sqlite':
      return [
        ['intake messages/s (SMTP, 4 connections, SQLite)', r.messagesPerSecond, '≥ 200', r.messagesPerSecond >= 200],
        ['intake time to 250, p95', ms(r.p95Ms), '< 100 ms', r.p95Ms < 100],
        ['intake server peak RSS', `${r.peakRssMb} MB`, '< 250 MB', r.peakRssMb < 250],
      ];
    case 'sla':
      return [
        ['due-time computations/s', Math.round(r.dueTimesPerSecond).toLocaleString('en'), '≥ 1,000,000', r.dueTimesPerSecond >= 1e6],
        ['SLA report, one month of 100,000 consults (median)', ms(r.reportMedianMs), '< 300 ms', r.reportMedianMs < 300],
      ];
    case 'assignment': {
      const queue = Object.values(r.queue).map((q) => q.p95);
      return [
        ['assignment decision, 200 experts, 10,000 open (p95)', ms(r.decisionP95Ms), '< 5 ms', r.decisionP95Ms < 5],
        ['queue pages, 100,000 consults (worst view p95)', ms(Math.max(...queue)), '< 100 ms', Math.max(...queue) < 100],
      ];
    }
    case 'usage': {
      const worst = Math.max(r.openPageMs, r.closedPageMs, r.openCsvMs, r.closedCsvMs);
      return [['usage page and billing CSV, 2,000 members, 100,000 consults (worst median)', ms(worst), '< 300 ms', worst < 300]];
    }
    case 'faq':
      return [
        ['FAQ search, 20,000 entries (p95, through HTTP)', ms(r.searchP95Ms), '< 20 ms', r.searchP95Ms < 20],
        ['FAQ promotion of a 50-message consult (median)', ms(r.promotionMedianMs), '< 200 ms', r.promotionMedianMs < 200],
      ];
    default:
      return [];
  }
}

async function main() {
  const results = [];
  for (const file of BENCHES) results.push(await runBench(file));
  console.log('\n## All figures (Node ' + process.version + ')\n');
  console.log('| figure | value | target | met |');
  console.log('| --- | --- | --- | --- |');
  for (const [figure, value, target, met] of results.filter(Boolean).flatMap(rows)) {
    console.log(`| ${figure} | ${value} | ${target} | ${met ? 'yes' : 'NO'} |`);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
