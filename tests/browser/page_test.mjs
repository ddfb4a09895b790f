// The web page in a real browser (Debian's chromium, driven by playwright-core) through the local gateway, against
// the real services and brokers: it shows a topic the test created with its partitions, leaders, replicas and ISR,
// a message produced after it opened (live, Server-Sent Events), sends a message from its box that the API then finds
// in Kafka, shows an error the API answers (a second creation of the topic: 409), and the browser logs no error and
// no failed request other than that one. Saves a screenshot; prints how long it took.
//   GATEWAY_URL=http://127.0.0.1:18080 [CHROMIUM=/usr/bin/chromium] [PAGE_SCREENSHOT=page.png] node page_test.mjs
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayApi, eventually } from './api.mjs';

const started = Date.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const gateway = process.env.GATEWAY_URL || 'http://127.0.0.1:18080';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshot = process.env.PAGE_SCREENSHOT || join(root, 'build', 'dev', 'page.png');

let chromium;
try {
  // Installed by scripts/install-deps.sh browser (npm ci of tests/browser/package-lock.json).
  ({ chromium } = createRequire(join(root, '.cache', 'browser-test', 'package.json'))('playwright-core'));
} catch {
  console.error('playwright-core is not installed: run scripts/install-deps.sh browser');
  process.exit(1);
}

const api = gatewayApi(gateway);
const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const topic = `page-test-${suffix}`;
const step = (what) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s  ${what}`);

// What the page's tables and boxes hold, cell by cell, read from the DOM.
const cells = (page, selector) => page.$$eval(selector, (rows) =>
  rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
const recordCells = (r) => [String(r.partition), String(r.offset), new Date(r.timestamp).toISOString(), r.key, r.value];
const show = (v) => (v === null ? '—' : String(v));

async function findRecord(value) {
  const found = (await api.records(topic)).filter((r) => r.value === value);
  if (found.length !== 1) throw new Error(`expected one record '${value}' in ${topic}, found ${found.length}`);
  return found[0];
}

async function run(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  let watching = true;  // closing the page aborts its event stream: that is not a failure
  const expected = [];  // the one refusal the test asks for on purpose, and the console line the browser logs for it
  const report = (problem) => { if (watching) problems.push(problem); };
  page.on('console', (m) => { if (m.type() === 'error') report(`console: ${m.text()}`); });
  page.on('pageerror', (e) => report(`page error: ${e.message}`));
  page.on('requestfailed', (r) => report(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) report(`HTTP ${r.status()}: ${r.url()}`); });

  try {
    await page.goto(`${gateway}/`);
    step('page loaded');
    await scenario(page, expected);
  } catch (e) {
    // What the browser said is often the reason a check above timed out (a script error, a failed request).
    if (problems.length) e.message += `\nthe browser reported:\n  ${problems.join('\n  ')}`;
    throw e;
  }
  const unexpected = problems.filter((p) => !expected.includes(p));
  if (unexpected.length) throw new Error(`the browser reported:\n  ${unexpected.join('\n  ')}`);
  watching = false;
  await page.close();
}

async function scenario(page, expected) {

  // The brokers and the topic's partitions, leaders, replicas and ISR, exactly as the API gives them.
  const { brokers } = await api.brokers();
  await eventually('brokers', () => cells(page, '#brokers tbody tr'),
    brokers.map((b) => [String(b.id), b.host, String(b.port)]));
  const described = await api.describeTopic(topic);
  await eventually(`the partitions of ${topic}`, () => cells(page, `#topics tbody tr[data-topic="${topic}"]`),
    described.partitions.map((p, i) => [i === 0 ? topic : '', String(p.partition), String(p.leader),
      p.replicas.join(', '), p.isr.join(', ')]));
  step('brokers and topic shown');

  await page.click(`#topics tbody tr[data-topic="${topic}"]`);
  await eventually('the stream state', () => page.textContent('#stream-state'), '(live)');
  await eventually('the records before any was produced', () => cells(page, '#records tbody tr'), []);

  // Produced after the page opened its stream: it must arrive by itself.
  const live = `live message ${suffix}`;
  await api.produce(topic, 'from-the-test', live);
  const liveRecord = await findRecord(live);
  await eventually('the live record', () => cells(page, '#records tbody tr'), [recordCells(liveRecord)]);
  step('live message shown');

  // Produced through the page's box: the API finds it in Kafka, and the page says where it went.
  const typed = `typed message ${suffix}`;
  await page.fill('#produce-form input[name=key]', 'from-the-page');
  await page.fill('#produce-form textarea[name=value]', typed);
  await page.click('#produce-form button');
  // Its whole record as Kafka holds it (partition and offset are where the producer put it: read back, not guessed).
  const typedRecord = await eventually(`'${typed}' in Kafka`, () => findRecord(typed), async () => {
    const r = await findRecord(typed);
    return { ...r, topic, key: 'from-the-page', value: typed, headers: {} };
  });
  await eventually('the produce box answer', () => page.textContent('#produce-result'),
    `sent to ${topic}: partition ${typedRecord.partition} offset ${typedRecord.offset}`);
  await eventually('the records, newest first', () => cells(page, '#records tbody tr'),
    [recordCells(typedRecord), recordCells(liveRecord)]);
  step('message from the page found in Kafka');

  // The group's lag as the API reports it (nobody consumed: nothing committed, the lag is the whole log).
  await eventually('the lag table', () => cells(page, '#offsets tbody tr'), async () => {
    const o = await api.offsets(topic);
    return [...o.partitions.map((p) => [p.partition, p.log_start, p.log_end, p.committed, p.lag].map(show)),
      [`group ${o.group}`, '', '', 'lag', show(o.lag)]];
  });

  const shownErrors = () => page.$$eval('#errors li span', (items) => items.map((span) => span.textContent));
  await eventually('errors shown on the page', shownErrors, []);

  // An error the API answers is shown whole on the page: creating the topic again is a 409 with a reason.
  const again = await fetch(`${gateway}/topics/${encodeURIComponent(topic)}`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ partitions: 1, replication_factor: 3 }) });
  const reason = (await again.text()).trim();
  const url = `${gateway}/topics/${encodeURIComponent(topic)}`;
  expected.push(`HTTP 409: ${url}`, 'console: Failed to load resource: the server responded with a status of 409 (Conflict)');
  await page.fill('#create-form input[name=name]', topic);
  await page.fill('#create-form input[name=partitions]', '1');
  await page.click('#create-form button');
  await eventually('the refused creation', shownErrors, [`POST /topics/${topic}: ${again.status} ${reason}`]);
  await eventually('the create box answer', () => page.textContent('#create-result'), 'not created (see the error above)');
  step('an API error shown on the page');
  await page.screenshot({ path: screenshot, fullPage: true });
}

let failed = false;
await api.createTopic(topic, { partitions: 2, replication_factor: 3 });
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
try {
  await run(browser);
} catch (e) {
  failed = true;
  console.error(`FAILED: ${e.message}`);
} finally {
  await browser.close();
  await api.deleteTopic(topic).catch((e) => console.error(`cleanup: ${e.message}`));
}
console.log(`${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot ${screenshot}`);
process.exit(failed ? 1 : 0);
