// DOM: narrows `connect-src` to the configured service once it is known.
//
// index.html must allow any http(s)/ws(s) origin, because the server address is only known at
// run time (first-run screen, `?server=`). A second CSP added later can only tighten: the
// browser enforces every policy, so from here on the renderer can talk to its own origin and
// the clinic's service, nothing else. Changing the server therefore reloads the renderer.
let locked: string | null = null;

export function lockConnectSrc(serverUrl: string): void {
  const http = new URL(serverUrl);
  if (locked === http.origin) return;
  if (locked !== null) return; // Already narrowed to another origin; only a reload widens it.
  const ws = `${http.protocol === 'https:' ? 'wss:' : 'ws:'}//${http.host}`;
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = `connect-src 'self' ${http.origin} ${ws}`;
  document.head.append(meta);
  locked = http.origin;
}
