// Tugboat's dashboard: plain JavaScript over the Kubernetes API the server serves, with the
// user's bearer token, so RBAC decides what it may read and change. Lists come live: each is a
// list, then a watch from the list's resourceVersion, as an informer does; nothing polls.

const view = document.getElementById('view');
let token = sessionStorage.getItem('tugboat-token');
let live = new AbortController(); // every watch and log of the current page; aborted on navigation

const h = s => String(s ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const keyOf = o => (o.metadata.namespace ? o.metadata.namespace + '/' : '') + o.metadata.name;

/** One API call: JSON (or a string body of `type`) in, JSON out; a Status's message on failure. */
async function api(path, {method = 'GET', body, type = 'application/json'} = {}) {
  const headers = {Authorization: 'Bearer ' + token, Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = type;
  const r = await fetch(path, {method, headers, signal: live.signal,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)});
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch (notJson) { /* a plain answer */ }
  if (r.status === 401) { logout(); throw new Error('the token was refused'); }
  if (!r.ok) throw new Error(json?.message ?? r.status + ' ' + text);
  return json;
}

/** The lines of a streamed answer (a watch, a followed log) until it ends or the page changes. */
async function lines(path, onLine) {
  const signal = live.signal;
  try {
    const r = await fetch(path, {headers: {Authorization: 'Bearer ' + token}, signal});
    if (!r.ok) { onLine(null, await r.text()); return false; }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return true;
      buffer += decoder.decode(value, {stream: true});
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (onLine(line) === false) { reader.cancel(); return false; }
      }
    }
  } catch (e) {
    return false; // aborted by navigation, or the connection broke
  }
}

/** A live map of the objects at `path`: listed, then watched; `render` runs after every change. */
async function informer(path, render) {
  const signal = live.signal;
  while (!signal.aborted) {
    const items = new Map();
    const list = await api(path);
    for (const o of list.items) items.set(keyOf(o), o);
    render(items);
    const sep = path.includes('?') ? '&' : '?';
    let relist = false;
    await lines(path + sep + 'watch=true&resourceVersion=' + list.metadata.resourceVersion, line => {
      if (line === null || !line.trim()) return true;
      const e = JSON.parse(line);
      if (e.type === 'ERROR') { relist = true; return false; } // 410 Expired: list again
      if (e.type === 'DELETED') items.delete(keyOf(e.object));
      else if (e.type === 'ADDED' || e.type === 'MODIFIED') items.set(keyOf(e.object), e.object);
      else return true;
      render(items);
      return true;
    });
    if (!relist && signal.aborted) return;
  }
}

function table(headers, rows) {
  return `<table><tr>${headers.map(x => `<th>${h(x)}</th>`).join('')}</tr>${
    rows.map(r => `<tr>${r.map(c => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

// ---- pages ------------------------------------------------------------------------------------

/** Members, where the singletons run, and each node's capacity against what its pods request. */
async function clusterPage() {
  view.innerHTML = '<h1>Cluster</h1><h2>Members</h2><div id="members"></div><h2>Singletons</h2><div id="singletons"></div>'
    + '<h2>Nodes</h2><div id="nodes">loading</div>';
  const c = await api('/tugboat/v1/cluster');
  document.getElementById('members').innerHTML = table(['ADDRESS', 'STATUS', 'ROLES', 'REACHABLE', 'LEADER'],
    c.members.map(m => [h(m.address), h(m.status), h(m.roles.join(', ')), m.reachable ? 'yes' : 'no', m.address === c.leader ? 'leader' : '']));
  document.getElementById('singletons').innerHTML = table(['SINGLETON', 'MEMBER'], (c.singletons || []).map(s => [h(s.name), h(s.member)]));
  let nodes = new Map(), pods = new Map();
  const draw = () => {
    const requested = {};
    for (const p of pods.values()) {
      const n = p.spec.nodeName;
      if (!n || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      requested[n] ??= {cpu: 0, memory: 0, pods: 0};
      requested[n].pods++;
      for (const ctr of p.spec.containers) {
        requested[n].cpu += cpu(ctr.resources?.requests?.cpu);
        requested[n].memory += bytes(ctr.resources?.requests?.memory);
      }
    }
    document.getElementById('nodes').innerHTML = table(['NODE', 'READY', 'PODS', 'CPU REQUESTED', 'MEMORY REQUESTED'],
      [...nodes.values()].map(n => {
        const r = requested[n.metadata.name] ?? {cpu: 0, memory: 0, pods: 0};
        const ready = (n.status?.conditions || []).find(x => x.type === 'Ready')?.status === 'True';
        const a = n.status?.allocatable || {};
        return [h(n.metadata.name), ready ? 'Ready' : 'NotReady', `${r.pods} / ${h(a.pods)}`,
          share(r.cpu, cpu(a.cpu), v => (v / 1000).toFixed(2)), share(r.memory, bytes(a.memory), v => (v / 2 ** 30).toFixed(2) + ' GiB')];
      }));
  };
  informer('/api/v1/nodes', m => { nodes = m; draw(); });
  informer('/api/v1/pods', m => { pods = m; draw(); });
}

function share(used, total, show) {
  const pct = total ? Math.round(100 * used / total) : 0;
  return `<span class="bar" style="width:${Math.min(pct, 100)}px"></span> ${show(used)} of ${show(total)} (${pct}%)`;
}

/** Millicores of a quantity ("250m", "2"). */
function cpu(q) {
  if (!q) return 0;
  return String(q).endsWith('m') ? parseFloat(q) : parseFloat(q) * 1000;
}

/** Bytes of a quantity ("512Mi", "1G", "1024"). */
function bytes(q) {
  if (!q) return 0;
  const m = String(q).match(/^([0-9.]+)([KMGTE]i?)?$/);
  if (!m) return 0;
  const units = {K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40};
  return parseFloat(m[1]) * (units[m[2]] ?? 1);
}

/** A namespace's Deployments with their rollout state, live, to scale and delete; and its pods. */
async function workloadsPage(ns) {
  view.innerHTML = `<h1>Workloads in <select id="ns"></select></h1><h2>Deployments</h2><div id="deployments">loading</div>`
    + '<h2>Pods</h2><div id="pods">loading</div><p id="message"></p>';
  api('/api/v1/namespaces').then(list => {
    const select = document.getElementById('ns');
    select.innerHTML = list.items.map(n => `<option ${n.metadata.name === ns ? 'selected' : ''}>${h(n.metadata.name)}</option>`).join('');
    select.onchange = () => { location.hash = '#/workloads/' + select.value; };
  });
  document.getElementById('nav-workloads').href = '#/workloads/' + ns;
  const base = `/apis/apps/v1/namespaces/${ns}/deployments`;
  informer(base, items => {
    document.getElementById('deployments').innerHTML = table(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'ROLLOUT', ''],
      [...items.values()].map(d => {
        const s = d.status || {}, want = d.spec.replicas ?? 1;
        const state = rollout(d);
        return [`<a href="#/history/apis/apps/v1/namespaces/${h(ns)}/deployments/${h(d.metadata.name)}">${h(d.metadata.name)}</a>`,
          `<span class="ready" data-name="${h(d.metadata.name)}">${s.readyReplicas ?? 0}/${want}</span>`,
          s.updatedReplicas ?? 0, s.availableReplicas ?? 0, `<span class="state-${state}">${state}</span>`,
          `<button data-scale="${h(d.metadata.name)}" data-by="-1">−</button><button data-scale="${h(d.metadata.name)}" data-by="1">+</button>`
          + `<button data-delete="${h(d.metadata.name)}">delete</button>`];
      }));
  });
  informer(`/api/v1/namespaces/${ns}/pods`, items => {
    document.getElementById('pods').innerHTML = table(['NAME', 'PHASE', 'READY', 'RESTARTS', 'NODE'],
      [...items.values()].map(p => {
        const cs = p.status?.containerStatuses || [];
        return [`<a class="pod" href="#/pod/${h(ns)}/${h(p.metadata.name)}">${h(p.metadata.name)}</a>`, h(p.status?.phase),
          `${cs.filter(c => c.ready).length}/${p.spec.containers.length}`, cs.reduce((n, c) => n + (c.restartCount || 0), 0),
          h(p.spec.nodeName)];
      }));
  });
  view.onclick = async e => {
    const b = e.target.closest('button');
    if (!b) return;
    const message = document.getElementById('message');
    try {
      if (b.dataset.scale) {
        const scale = await api(`${base}/${b.dataset.scale}/scale`);
        const replicas = Math.max(0, (scale.spec.replicas ?? 0) + Number(b.dataset.by));
        await api(`${base}/${b.dataset.scale}/scale`, {method: 'PATCH', type: 'application/merge-patch+json', body: {spec: {replicas}}});
        message.textContent = `deployment.apps/${b.dataset.scale} scaled to ${replicas}`;
      } else if (b.dataset.delete && confirm(`Delete deployment ${b.dataset.delete}?`)) {
        await api(`${base}/${b.dataset.delete}`, {method: 'DELETE', body: {propagationPolicy: 'Foreground'}});
        message.textContent = `deployment.apps/${b.dataset.delete} deleted`;
      }
      message.className = 'ok';
    } catch (err) {
      message.textContent = err.message;
      message.className = 'error';
    }
  };
}

/** kubectl rollout status's verdict, from the same fields. */
function rollout(d) {
  const s = d.status || {}, want = d.spec.replicas ?? 1;
  if ((s.observedGeneration ?? 0) < d.metadata.generation) return 'Progressing';
  const p = (s.conditions || []).find(c => c.type === 'Progressing');
  if (p?.reason === 'ProgressDeadlineExceeded') return 'Failed';
  const done = (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= want;
  return done ? 'Complete' : 'Progressing';
}

/** A pod's containers and Events, live, and a container's log followed. */
async function podPage(ns, name) {
  view.innerHTML = `<h1>Pod ${h(ns)}/${h(name)} <a href="#/history/api/v1/namespaces/${h(ns)}/pods/${h(name)}">history</a></h1>`
    + '<h2>Containers</h2><div id="containers">loading</div><h2>Events</h2><div id="events"></div>'
    + '<h2>Log <select id="container"></select></h2><pre id="log"></pre>';
  let followed = null;
  informer(`/api/v1/namespaces/${ns}/pods?fieldSelector=metadata.name%3D${encodeURIComponent(name)}`, items => {
    const p = items.get(ns + '/' + name);
    if (!p) { document.getElementById('containers').textContent = 'gone'; return; }
    const statuses = Object.fromEntries((p.status?.containerStatuses || []).map(c => [c.name, c]));
    document.getElementById('containers').innerHTML = table(['CONTAINER', 'IMAGE', 'STATE', 'READY', 'RESTARTS'],
      p.spec.containers.map(c => {
        const s = statuses[c.name] || {};
        const state = Object.keys(s.state || {})[0] || 'waiting';
        const reason = s.state?.[state]?.reason;
        return [h(c.name), h(c.image), h(state + (reason ? ` (${reason})` : '')), s.ready ? 'yes' : 'no', s.restartCount ?? 0];
      }));
    const select = document.getElementById('container');
    if (!select.options.length) {
      select.innerHTML = p.spec.containers.map(c => `<option>${h(c.name)}</option>`).join('');
      select.onchange = () => follow(select.value);
    }
    if (!followed && statuses[p.spec.containers[0].name]?.state && !statuses[p.spec.containers[0].name].state.waiting) {
      follow(p.spec.containers[0].name);
    }
  });
  informer(`/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3D${encodeURIComponent(name)}`, items => {
    document.getElementById('events').innerHTML = table(['TYPE', 'REASON', 'COUNT', 'LAST', 'MESSAGE'],
      [...items.values()].sort((a, b) => String(a.lastTimestamp).localeCompare(String(b.lastTimestamp)))
        .map(e => [h(e.type), h(e.reason), e.count ?? 1, h(e.lastTimestamp ?? e.eventTime), h(e.message)]));
  });

  function follow(container) {
    followed = container;
    const log = document.getElementById('log');
    log.textContent = '';
    lines(`/api/v1/namespaces/${ns}/pods/${name}/log?follow=true&container=${encodeURIComponent(container)}`, (line, error) => {
      if (followed !== container) return false;
      log.textContent += (line === null ? error : line) + '\n';
      log.scrollTop = log.scrollHeight;
      return true;
    });
  }
}

/** Every persisted change of an object as a timeline: when, who, and each field before and after. */
async function historyPage(path) {
  view.innerHTML = `<h1>History of ${h(path.split('/').slice(-2).join(' '))}</h1><ol class="timeline" id="timeline">loading</ol>`;
  const history = await api('/' + path + '/history');
  document.getElementById('timeline').innerHTML = history.items.map(e => {
    const by = e.by ? `${h(e.by.username)} (${h(e.by.userAgent)})` : '&lt;unknown&gt;';
    const changes = e.type === 'Created' ? '<div class="change">the object as created</div>'
      : e.changes.map(c => `<div class="change">${h(c.path)}: ${shown(c.before)} → ${shown(c.after)}</div>`).join('');
    return `<li data-type="${h(e.type)}"><strong>${h(e.type)}</strong> ${h(e.time)}, resourceVersion ${h(e.resourceVersion)}, `
      + `generation ${h(e.generation)}, by ${by}${changes}</li>`;
  }).join('');
}

function shown(value) {
  return value === undefined ? '<em>absent</em>' : h(JSON.stringify(value));
}

/** Server-side apply of a manifest, as `kubectl apply --server-side --field-manager tugboat-dashboard`. */
function applyPage() {
  view.innerHTML = '<h1>Apply</h1><p>One object as YAML or JSON; it is applied server-side, as the field manager '
    + '<code>tugboat-dashboard</code>.</p><textarea id="manifest" rows="24"></textarea><br>'
    + '<button id="apply" type="button">Apply</button><p id="result"></p>';
  document.getElementById('apply').onclick = async () => {
    const result = document.getElementById('result');
    try {
      const text = document.getElementById('manifest').value;
      const {apiVersion, kind, name, namespace} = identify(text);
      const gv = apiVersion.includes('/') ? '/apis/' + apiVersion : '/api/' + apiVersion;
      const resource = (await api(gv)).resources.find(r => r.kind === kind && !r.name.includes('/'));
      if (!resource) throw new Error(`the server does not serve ${kind} in ${apiVersion}`);
      const ns = resource.namespaced ? `/namespaces/${namespace || 'default'}` : '';
      await api(`${gv}${ns}/${resource.name}/${name}?fieldManager=tugboat-dashboard&force=true`,
        {method: 'PATCH', type: 'application/apply-patch+yaml', body: text});
      result.textContent = `${kind.toLowerCase()}/${name} applied`;
      result.className = 'ok';
    } catch (err) {
      result.textContent = err.message;
      result.className = 'error';
    }
  };
}

/** apiVersion, kind, metadata.name and metadata.namespace of one manifest (JSON, or block-style YAML). */
function identify(text) {
  try {
    const o = JSON.parse(text);
    return {apiVersion: o.apiVersion, kind: o.kind, name: o.metadata?.name, namespace: o.metadata?.namespace};
  } catch (notJson) {
    const top = k => text.match(new RegExp(`^${k}:\\s*["']?([^"'\\s#]+)`, 'm'))?.[1];
    const meta = text.match(/^metadata:\s*\n((?:[ \t]+.*\n?)*)/m)?.[1] ?? '';
    const field = k => meta.match(new RegExp(`^[ \\t]+${k}:\\s*["']?([^"'\\s#]+)`, 'm'))?.[1];
    const found = {apiVersion: top('apiVersion'), kind: top('kind'), name: field('name'), namespace: field('namespace')};
    if (!found.apiVersion || !found.kind || !found.name) throw new Error('the manifest needs apiVersion, kind and metadata.name');
    return found;
  }
}

// ---- login and routing ------------------------------------------------------------------------

function loginPage(error) {
  view.replaceChildren(document.getElementById('login').content.cloneNode(true));
  document.getElementById('login-error').textContent = error || '';
  document.getElementById('login-form').onsubmit = async e => {
    e.preventDefault();
    token = document.getElementById('token').value.trim();
    try {
      const review = await api('/apis/authentication.k8s.io/v1/selfsubjectreviews', {method: 'POST',
        body: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}}).catch(() => null);
      await api('/api/v1/namespaces'); // a token that can read nothing is no use here
      sessionStorage.setItem('tugboat-token', token);
      document.getElementById('who').textContent = review?.status?.userInfo?.username ?? '';
      route();
    } catch (err) {
      token = null;
      loginPage(err.message);
    }
  };
}

function logout() {
  sessionStorage.removeItem('tugboat-token');
  token = null;
  route();
}

async function route() {
  live.abort();
  live = new AbortController();
  view.onclick = null;
  document.getElementById('nav').hidden = !token;
  if (!token) { loginPage(); return; }
  const [page, ...args] = location.hash.replace(/^#\/?/, '').split('/');
  try {
    if (page === 'workloads') await workloadsPage(args[0] || 'default');
    else if (page === 'pod') await podPage(args[0], args[1]);
    else if (page === 'history') await historyPage(args.join('/'));
    else if (page === 'apply') applyPage();
    else await clusterPage();
  } catch (err) {
    if (!live.signal.aborted) view.innerHTML = `<p class="error">${h(err.message)}</p>`;
  }
}

document.getElementById('logout').onclick = logout;
window.addEventListener('hashchange', route);
route();
