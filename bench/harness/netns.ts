// Node (root only): a small network of Linux network namespaces for bad-network tests and
// benches. A bridge on the host (the service listens on its address) and one namespace per
// peer, each joined to the bridge by a veth pair; Chromium runs inside a peer's namespace.
// Faults are applied inside one peer's namespace only, so the host and the other peer are
// untouched:
//  - UDP blackhole / random UDP loss: nftables (`numgen random mod 100 < N drop`), both ways, on
//    the wire: at the ingress of the peer's eth0 (what it receives) and of the host end of its
//    veth (what it sends). Not in the peer's output hook: a packet dropped there fails the
//    sender's own sendto() with EPERM, which Chromium sees and works around, so the loss
//    never showed on the other side;
//  - bandwidth cap: `tc qdisc … tbf` on both ends of the peer's veth (up and down).
// (This kernel has no netem, so no delay emulation.) Everything is named `b8-<tag>…` and
// removed by `close()`, which never throws; `sweepStale()` removes leftovers of a crashed run.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const run = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], input, timeout: 10_000 }).toString();

/** Null when namespaces can be used here, else what is missing (for a skip message). */
export function netnsMissing(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root (run the tests as root)';
  for (const [cmd, args, pkg] of [
    ['ip', ['netns', 'list'], 'iproute2'],
    ['nft', ['--version'], 'nftables'],
    ['tc', ['-V'], 'iproute2'],
  ] as const) {
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
    if (r.error || r.status !== 0) return `\`${cmd}\` is not usable (apt-get install ${pkg})`;
  }
  // Creating one is the only real test (containers without CAP_SYS_ADMIN refuse).
  const probe = `b8-probe-${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) return `\`ip netns add\` failed: ${(r.stderr || '').trim()}`;
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore', timeout: 5000 });
  return null;
}

export interface Peer {
  /** Namespace name. */
  ns: string;
  /** The peer's address on the bridge. */
  address: string;
  /** Host-side end of its veth pair. */
  hostIf: string;
  /** A Chromium wrapper that runs /usr/bin/chromium (or CHROMIUM_PATH) in this namespace. */
  chromium: string;
}

export interface Net {
  /** The host's address on the bridge: bind the service here. */
  hostAddress: string;
  peers: Peer[];
  /** Drops every UDP packet to and from this peer (media, STUN) until `clear`. TCP is kept. */
  blackhole(peer: Peer): void;
  /** Drops this percentage of UDP packets, at random, both ways. */
  udpLoss(peer: Peer, percent: number): void;
  /** Caps the peer's upload and download to `kbit` kbit/s (token bucket, short queue). */
  capBandwidth(peer: Peer, kbit: number): void;
  /** Removes every fault from this peer. */
  clear(peer: Peer): void;
  close(): void;
}

const NFT_TABLE = 'b8fault';

/** Removes namespaces and links named b8-… by an earlier run of this process tag. */
export function sweepStale(tag: string): void {
  for (const line of run('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0];
    if (name && name.startsWith(`b8-${tag}`)) spawnSync('ip', ['netns', 'del', name]);
  }
  spawnSync('ip', ['link', 'del', `b8-${tag}-br`], { stdio: 'ignore' });
  const tables = spawnSync('nft', ['list', 'tables', 'netdev'], { encoding: 'utf8' }).stdout ?? '';
  for (const m of tables.matchAll(/table netdev (\S+)/g))
    if (m[1]!.startsWith(`${NFT_TABLE}-b8-${tag}`))
      spawnSync('nft', ['delete', 'table', 'netdev', m[1]!], { stdio: 'ignore' });
}

/**
 * Creates the bridge and `peerCount` namespaces. The subnet is 10.88.<n>.0/24 with n from the
 * process id, so two runs at once do not collide.
 */
export function createNet(peerCount: number, chromiumPath: string): Net {
  const tag = (process.pid % 0xffff).toString(16).padStart(4, '0');
  const octet = 10 + (process.pid % 230);
  sweepStale(tag);
  const bridge = `b8-${tag}-br`;
  const hostAddress = `10.88.${octet}.1`;
  const wrappers = mkdtempSync(path.join(tmpdir(), 'b8-netns-'));
  const peers: Peer[] = [];
  const net: Net = {
    hostAddress,
    peers,
    blackhole: (p) => nft(p, 'meta l4proto udp drop'),
    udpLoss: (p, percent) =>
      nft(p, `meta l4proto udp numgen random mod 100 < ${Math.round(percent)} drop`),
    capBandwidth(p, kbit) {
      // Burst of ~1/8 s and a 50 ms queue: a cap, not a huge buffer hiding it.
      const burst = `${Math.max(2, Math.round(kbit / 8 / 8))}kb`;
      for (const [ns, dev] of [
        [p.ns, 'eth0'],
        [null, p.hostIf],
      ] as const) {
        const args = ['qdisc', 'replace', 'dev', dev, 'root', 'tbf'];
        args.push('rate', `${kbit}kbit`, 'burst', burst, 'latency', '50ms');
        if (ns) run('ip', ['netns', 'exec', ns, 'tc', ...args]);
        else run('tc', args);
      }
    },
    clear(p) {
      spawnSync('ip', ['netns', 'exec', p.ns, 'nft', 'delete', 'table', 'netdev', NFT_TABLE], {
        stdio: 'ignore',
      });
      spawnSync('nft', ['delete', 'table', 'netdev', `${NFT_TABLE}-${p.hostIf}`], {
        stdio: 'ignore',
      });
      spawnSync('ip', ['netns', 'exec', p.ns, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root'], {
        stdio: 'ignore',
      });
      spawnSync('tc', ['qdisc', 'del', 'dev', p.hostIf, 'root'], { stdio: 'ignore' });
    },
    close() {
      process.off('exit', onExit);
      for (const p of peers) net.clear(p);
      for (const p of peers) spawnSync('ip', ['netns', 'del', p.ns], { stdio: 'ignore' });
      spawnSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
      rmSync(wrappers, { recursive: true, force: true });
    },
  };
  // Also when the process ends without close() (a killed test run exits through a signal).
  const onExit = () => net.close();
  process.on('exit', onExit);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      net.close();
      process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
    });
  const nft = (p: Peer, rule: string) => {
    net.clear(p);
    const table = (name: string, dev: string) =>
      [
        `table netdev ${name} {`,
        `  chain ingress { type filter hook ingress device "${dev}" priority 0; ${rule}; }`,
        `}`,
      ].join('\n');
    // What the peer receives, and (on the host end of its veth) what it sends.
    run('ip', ['netns', 'exec', p.ns, 'nft', '-f', '-'], table(NFT_TABLE, 'eth0'));
    run('nft', ['-f', '-'], table(`${NFT_TABLE}-${p.hostIf}`, p.hostIf));
  };
  try {
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    for (let i = 0; i < peerCount; i++) {
      const ns = `b8-${tag}-p${i}`;
      const hostIf = `b8-${tag}-v${i}`;
      const address = `10.88.${octet}.${i + 2}`;
      run('ip', ['netns', 'add', ns]);
      run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      run('ip', ['link', 'set', hostIf, 'master', bridge, 'up']);
      run('ip', ['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      const chromium = path.join(wrappers, `chromium-${i}`);
      writeFileSync(chromium, `#!/bin/sh\nexec ip netns exec ${ns} ${chromiumPath} "$@"\n`);
      chmodSync(chromium, 0o755);
      peers.push({ ns, address, hostIf, chromium });
    }
  } catch (err) {
    net.close();
    throw err;
  }
  return net;
}
