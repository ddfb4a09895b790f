// The services' API through the local gateway, as the test sees it: every call either answers what was asked or
// throws with the status and the service's reason.
export function gatewayApi(base) {
  async function call(method, path, { body, headers } = {}) {
    const response = await fetch(base + path, { method, body, headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.trim()}`);
    return (response.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text;
  }
  const topic = (t) => encodeURIComponent(t);
  return {
    createTopic: (t, spec) => call('POST', `/topics/${topic(t)}`,
      { body: JSON.stringify(spec), headers: { 'Content-Type': 'application/json' } }),
    deleteTopic: (t) => call('DELETE', `/topics/${topic(t)}`),
    describeTopic: (t) => call('GET', `/topics/${topic(t)}`),
    brokers: () => call('GET', '/brokers'),
    offsets: (t) => call('GET', `/consumer/${topic(t)}/offsets`),
    // Browsing joins no group, so reading here takes nothing from the page or the service.
    records: (t) => call('GET', `/consumer/${topic(t)}/records?from=beginning&max=1000`,
      { headers: { Accept: 'application/json' } }),
    produce: (t, key, value) => call('POST', `/topics/${topic(t)}/messages?key=${encodeURIComponent(key)}`,
      { body: value, headers: { 'Content-Type': 'text/plain' } }),
  };
}

// Asks `actual` until it deep-equals `expected` (both as JSON), or throws showing both after `timeoutMs`.
export async function eventually(what, actual, expected, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await actual();
      const want = typeof expected === 'function' ? await expected() : expected;
      if (JSON.stringify(last) === JSON.stringify(want)) return last;
      if (Date.now() > deadline) {
        throw new Error(`${what}: the page shows\n  ${JSON.stringify(last)}\nthe API says\n  ${JSON.stringify(want)}`);
      }
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
