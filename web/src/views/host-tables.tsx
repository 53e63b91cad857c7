/** The host page's tables: GPU processes, containers (as the original's containers tab), logged-in users. */
import type { Container, HostStatus } from '../lib/api.js';
import { mb, pct } from '../lib/format.js';
import { containerLabel } from '../lib/gpu.js';

export function HostTables(props: { host: HostStatus; containers: Container[] | null; containerError: string | null }) {
  const { host, containers } = props;
  const procs = host.gpus.flatMap((g) => (g.processes ?? []).map((p) => ({ gpu: g.index, ...p })));
  // Hosts without Docker jobs keep the narrower table.
  const inContainers = procs.some((p) => p.container);
  return (
    <>
      <section aria-labelledby="procs-title">
        <h2 id="procs-title">GPU processes</h2>
        {procs.length === 0 ? (
          <p class="empty">No GPU processes.</p>
        ) : (
          <div class="scroll">
            <table class="plain procs" data-testid="gpu-processes">
              <thead>
                <tr>
                  <th scope="col">GPU</th>
                  <th scope="col">User</th>
                  {inContainers && <th scope="col">Container</th>}
                  <th scope="col">PID</th>
                  <th scope="col">Memory</th>
                  <th scope="col">Command</th>
                </tr>
              </thead>
              <tbody>
                {procs.map((p) => (
                  <tr key={`${p.gpu}-${p.pid}`}>
                    <td>{p.gpu}</td>
                    <td>
                      <bdi>{p.username}</bdi>
                    </td>
                    {inContainers && <td>{p.container ? <bdi>{containerLabel(p.container)}</bdi> : '–'}</td>}
                    <td>{p.pid}</td>
                    <td>{mb(p.used_memory_mb)}</td>
                    <td class="cmd">
                      <code>
                        <bdi>{p.cmd}</bdi>
                      </code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="containers-title">
        <h2 id="containers-title">Containers</h2>
        {props.containerError && (
          <p class="error" role="alert">
            Containers are unavailable: {props.containerError}
          </p>
        )}
        {!containers && !props.containerError && (
          <p class="empty" role="status">
            Loading containers…
          </p>
        )}
        {containers && containers.length === 0 && <p class="empty">No containers.</p>}
        {containers && containers.length > 0 && (
          <div class="scroll">
            <table class="plain" data-testid="containers">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Image</th>
                  <th scope="col">State</th>
                  <th scope="col">CPU</th>
                  <th scope="col">Memory</th>
                  <th scope="col">Ports</th>
                  <th scope="col">Created</th>
                  <th scope="col">ID</th>
                </tr>
              </thead>
              <tbody>
                {containers.map((c) => (
                  <tr key={c.id}>
                    <td class="c-name">
                      <bdi>{c.name}</bdi>
                    </td>
                    <td>
                      <bdi>{c.image}</bdi>
                    </td>
                    <td>
                      <span class={`badge ${c.state === 'running' ? 'up' : 'idle'}`}>
                        <bdi>{c.state}</bdi>
                      </span>
                    </td>
                    <td>{pct(c.cpu_pct)}</td>
                    <td>{mb(c.mem_mb)}</td>
                    <td>{c.ports ? <bdi>{c.ports}</bdi> : '–'}</td>
                    <td>
                      <bdi>{c.created}</bdi>
                    </td>
                    <td>
                      <code>
                        <bdi>{c.id.slice(0, 12)}</bdi>
                      </code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="users-title">
        <h2 id="users-title">Logged-in users</h2>
        {host.users.length === 0 ? (
          <p class="empty">Nobody is logged in.</p>
        ) : (
          <div class="scroll">
            <table class="plain" data-testid="users">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Terminal</th>
                  <th scope="col">From</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {host.users.map((u, i) => (
                  <tr key={i}>
                    <td>
                      <bdi>{u.name}</bdi>
                    </td>
                    <td>
                      <bdi>{u.tty}</bdi>
                    </td>
                    <td>
                      <bdi>{u.host}</bdi>
                    </td>
                    <td>
                      <bdi>{u.started}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
