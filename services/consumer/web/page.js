// The page's only script: every number it shows comes from the services' JSON API, through the same origin (the
// gateway routes each path to its service). No framework and no build step; text goes in with textContent only.
'use strict';

const REFRESH_MS = 5000;  // brokers and topics: this long after the last refresh ended, so two never overlap
const DESCRIBE_AT_ONCE = 4;  // of the browser's 6 connections per host, so the event stream and the boxes get theirs
const LAG_MS = 2000;      // the chosen topic's offsets
const MAX_ROWS = 200;     // records kept on the page, newest first

const $ = (selector) => document.querySelector(selector);
let chosen = null;      // the topic whose records, lag and produce box are shown
let stream = null;      // its EventSource
let lagTimer = null;

// A failed call is an Error whose message is the method, the path, the status and the service's one-line reason.
async function api(method, path, options = {}) {
  let response;
  try {
    response = await fetch(path, { method, headers: options.headers, body: options.body });
  } catch (e) {
    throw new Error(`${method} ${path}: ${e.message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.trim() || response.statusText}`);
  return text && (response.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text;
}

const topicPath = (prefix, topic, suffix = '') => `${prefix}/${encodeURIComponent(topic)}${suffix}`;

function showError(error) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  const message = document.createElement('span');
  time.textContent = `${new Date().toLocaleTimeString()} `;
  message.textContent = error.message;
  item.append(time, message);
  $('#errors').prepend(item);
  while ($('#errors').children.length > 5) $('#errors').lastChild.remove();
}

function row(cells, className) {
  const tr = document.createElement('tr');
  for (const value of cells) {
    const td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '—' : String(value);
    if (typeof value === 'number') td.className = 'num';
    tr.append(td);
  }
  if (className) tr.lastChild.className = className;
  return tr;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

async function refreshBrokers() {
  const { brokers } = await api('GET', '/brokers');
  fill($('#brokers tbody'), brokers.map((b) => row([b.id, b.host, b.port])));
  return brokers.length;
}

// fn over every item, at most `limit` at a time; the results in the items' order.
async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function refreshTopics() {
  const { topics } = await api('GET', '/topics');
  const described = await mapLimited(topics, DESCRIBE_AT_ONCE, (t) => api('GET', topicPath('/topics', t)));
  const rows = [];
  for (const topic of described) {
    topic.partitions.forEach((p, i) => {
      const tr = row([i === 0 ? topic.name : '', p.partition, p.leader, p.replicas.join(', '), p.isr.join(', ')]);
      tr.dataset.topic = topic.name;
      tr.classList.toggle('chosen', topic.name === chosen);
      tr.addEventListener('click', () => choose(topic.name));
      rows.push(tr);
    });
  }
  fill($('#topics tbody'), rows);
  return topics.length;
}

async function refresh() {
  // Each half reports its own failure, so brokers still show when a topic cannot be described, and the other way round.
  const [brokers, topics] = await Promise.allSettled([refreshBrokers(), refreshTopics()]);
  for (const result of [brokers, topics]) if (result.status === 'rejected') showError(result.reason);
  const count = (r, what) => (r.status === 'fulfilled' ? `${r.value} ${what}` : `${what}: error`);
  $('#status').textContent = `${count(brokers, 'brokers')} · ${count(topics, 'topics')} · ` +
    `updated ${new Date().toLocaleTimeString()}`;
}

async function refreshLag(topic) {
  try {
    const offsets = await api('GET', topicPath('/consumer', topic, '/offsets'));
    if (topic !== chosen) return;
    fill($('#offsets tbody'), offsets.partitions.map((p) =>
      row([p.partition, p.log_start, p.log_end, p.committed, p.lag])));
    $('#offsets tbody').append(row([`group ${offsets.group}`, '', '', 'lag', offsets.lag]));
  } catch (e) {
    showError(e);
  }
}

function recordRow(record) {
  const tr = row([record.partition, record.offset, new Date(record.timestamp).toISOString(), record.key, record.value],
    'value');
  tr.dataset.id = `${record.partition}:${record.offset}`;
  return tr;
}

// Follows the topic with the browse route's Server-Sent Events (no group, no commit): history first, then live.
function follow(topic) {
  const url = topicPath('/consumer', topic, '/records?from=beginning&max=100');
  const source = new EventSource(url);
  const body = $('#records tbody');
  source.onopen = () => { $('#stream-state').textContent = '(live)'; };
  source.onmessage = (event) => {
    const tr = recordRow(JSON.parse(event.data));
    // A reconnect resumes after the last id, so a row is never shown twice; kept newest first.
    if (!body.querySelector(`tr[data-id="${tr.dataset.id}"]`)) body.prepend(tr);
    while (body.children.length > MAX_ROWS) body.lastChild.remove();
  };
  source.onerror = async () => {
    if (source.readyState !== EventSource.CLOSED) {
      $('#stream-state').textContent = '(reconnecting…)';
      return;
    }
    // The browser gives up without saying why (a 4xx/5xx, or not an event stream): the same call as JSON says why.
    $('#stream-state').textContent = '(stopped)';
    try {
      await api('GET', topicPath('/consumer', topic, '/records?from=end&max=1'));
      showError(new Error(`GET ${url}: the event stream closed`));
    } catch (e) {
      showError(e);
    }
  };
  return source;
}

function choose(topic) {
  if (stream) stream.close();
  clearInterval(lagTimer);
  chosen = topic;
  history.replaceState(null, '', `#topic=${encodeURIComponent(topic)}`);
  $('#chosen').textContent = topic;
  for (const tr of document.querySelectorAll('#topics tbody tr')) tr.classList.toggle('chosen', tr.dataset.topic === topic);
  document.querySelector('#topics tbody tr.chosen')?.scrollIntoView({ block: 'nearest' });
  fill($('#records tbody'), []);
  fill($('#offsets tbody'), []);
  $('#produce-form button').disabled = false;
  $('#stream-state').textContent = '(connecting…)';
  stream = follow(topic);
  refreshLag(topic);
  lagTimer = setInterval(() => refreshLag(topic), LAG_MS);
}

async function produce(event) {
  event.preventDefault();
  const form = event.target;
  const key = form.elements.key.value;
  const query = key ? `?key=${encodeURIComponent(key)}` : '';
  try {
    // text/plain: the box's text is one raw message, even when it looks like JSON.
    const answer = await api('POST', topicPath('/topics', chosen, `/messages${query}`),
      { headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: form.elements.value.value });
    const [first] = answer.offsets;
    $('#produce-result').textContent = `sent to ${chosen}: partition ${first.partition} offset ${first.offset}`;
    form.elements.value.value = '';
  } catch (e) {
    $('#produce-result').textContent = 'not sent (see the error above)';
    showError(e);
  }
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const name = form.elements.name.value;
  const spec = { partitions: Number(form.elements.partitions.value),
    replication_factor: Number(form.elements.replication_factor.value) };
  try {
    await api('POST', topicPath('/topics', name), {
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(spec) });
    $('#create-result').textContent = `created ${name}`;
    await refresh();
    choose(name);
  } catch (e) {
    $('#create-result').textContent = 'not created (see the error above)';
    showError(e);
  }
}

$('#produce-form').addEventListener('submit', produce);
$('#create-form').addEventListener('submit', create);
const fromHash = /^#topic=(.+)$/.exec(location.hash);
if (fromHash) choose(decodeURIComponent(fromHash[1]));
(async function refreshForever() {
  await refresh();
  setTimeout(refreshForever, REFRESH_MS);
})();
