// nginx from Debian as a load target on a loopback port, with a temporary config (never the
// system service): installed with apt-get when missing. Logs each request's time ($msec).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NGINX = '/usr/sbin/nginx';

export function ensureNginx() {
  if (existsSync(NGINX)) return;
  console.log('nginx is missing: apt-get install -y nginx-light');
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(`Could not install nginx (${error.message}); install it with: sudo apt-get install nginx-light`);
  }
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts nginx in the foreground; `requestTimes()` reads the access log's $msec values (seconds). */
export async function startNginx() {
  ensureNginx();
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-nginx-'));
  const port = await freePort();
  const log = join(dir, 'access.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 1024; }\nhttp {\n  log_format t '$msec';\n  access_log ${log} t;\n  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};\n  server { listen 127.0.0.1:${port}; location / { return 200 'ok'; } }\n}\n`,
  );
  const child = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    clearLog: () => writeFileSync(log, ''),
    requestTimes: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number),
    async stop() {
      child.kill('SIGQUIT');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
