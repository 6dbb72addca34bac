// adamgap explorer: the page of "adamgap serve". No build step; uPlot
// (vendor/uplot) draws the curves and scatters, the heat map is SVG.
'use strict';

const FEATURE = '#1f77b4'; // report/figure2.go featureColor
const NOISE = '#d62728';   // report/figure2.go noiseColor
// Optimisers are told apart by colours other than the two of Figure 2.
const PALETTE = ['#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#111111'];

// The form's fields, their groups, choices and sweep axes come from the
// server's key table (config.Keys, as /api/defaults' "keys"), the
// hyper-parameters' order from optim.ParamNames ("params").
const BOXES = { data: 'fields-data', network: 'fields-net', training: 'fields-train' };
const byParamOrder = (a, b) => state.defaults.params.indexOf(a) - state.defaults.params.indexOf(b);

const $ = (sel, el = document) => el.querySelector(sel);
const $$ = (sel, el = document) => Array.from(el.querySelectorAll(sel));
function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined) el.append(kid);
  return el;
}

// Numbers as Go's %.4g prints them, near enough for reading.
function fmt(v, p = 4) {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '0';
  return String(Number(v.toPrecision(p)));
}

const state = {
  defaults: null,
  run: null,        // {id, controller, byOpt: Map name → {rows: Map step → row}, names, steps}
  charts: [],
  sweep: null,
  stats: {},
};
window.explorerStats = state.stats;

// ---------- the form ----------

// fieldInput is the field of one key: a select of its choices (the
// empty value, the key's default, listed first) or a text input.
function fieldInput(k, value) {
  const key = k.name;
  const choices = k.choices && (k.default ? [k.default, ...k.choices.filter(c => c !== k.default)] : k.choices);
  const input = choices
    ? h('select', { id: 'f-' + key, name: key, 'data-field': key, title: k.doc },
      choices.map(c => h('option', { value: c === k.default ? '' : c, selected: c === (value || k.default) }, c)))
    : h('input', { id: 'f-' + key, name: key, 'data-field': key, value, title: k.doc, inputmode: k.kind === 'string' ? 'text' : 'decimal', autocomplete: 'off', spellcheck: 'false' });
  return h('label', {},
    h('span', { class: 'name' }, k.label, k.hint ? h('small', {}, ' ', k.hint) : null),
    input,
    h('span', { class: 'err', 'data-err-for': key }));
}

function optimizerCard(i, o) {
  const d = state.defaults;
  const card = h('div', { class: 'opt', 'data-index': i });
  const prefix = `optimizers[${i}]`;
  const nameSel = h('select', { 'data-field': prefix + '.name', 'aria-label': `optimiser ${i + 1}` },
    d.optimizers.map(x => h('option', { value: x.name, selected: x.name === o.name }, x.name)));
  nameSel.addEventListener('change', () => {
    const def = d.optimizers.find(x => x.name === nameSel.value);
    replaceCard(card, i, structuredClone(def));
  });
  const remove = h('button', { type: 'button', 'aria-label': `remove optimiser ${i + 1}`, onclick: () => { card.remove(); renumber(); } }, 'Remove');
  const params = h('div', { class: 'grid' }, Object.keys(o.params).sort(byParamOrder).map(p =>
    h('label', {}, h('span', { class: 'name' }, p),
      h('input', { 'data-field': `${prefix}.${p}`, 'data-param': p, value: o.params[p], autocomplete: 'off' }),
      h('span', { class: 'err', 'data-err-for': `${prefix}.${p}` }))));
  const sched = o.schedule || { kind: 'constant' };
  const kindSel = h('select', { 'data-field': prefix + '.schedule.kind', 'data-sched': 'kind' },
    d.schedules.map(s => h('option', { value: s.kind, selected: s.kind === sched.kind }, s.kind)));
  const schedParams = h('div', { class: 'grid' });
  const fillSched = (s) => {
    schedParams.replaceChildren(...Object.keys(s).filter(k => k !== 'kind').map(p =>
      h('label', {}, h('span', { class: 'name' }, 'schedule ' + p),
        h('input', { 'data-field': `${prefix}.schedule.${p}`, 'data-sched': p, value: s[p], autocomplete: 'off' }),
        h('span', { class: 'err', 'data-err-for': `${prefix}.schedule.${p}` }))));
  };
  fillSched(sched);
  kindSel.addEventListener('change', () => fillSched(structuredClone(d.schedules.find(s => s.kind === kindSel.value))));
  card.append(
    h('div', { class: 'head' }, h('label', {}, h('span', { class: 'name' }, `optimiser ${i + 1}`), nameSel), remove),
    h('span', { class: 'err', 'data-err-for': prefix + '.name' }),
    params,
    h('label', {}, h('span', { class: 'name' }, 'learning-rate schedule'), kindSel),
    h('span', { class: 'err', 'data-err-for': prefix + '.schedule.kind' }),
    schedParams);
  return card;
}

function replaceCard(card, i, o) {
  card.replaceWith(optimizerCard(i, o));
}

function renumber() {
  // Field names carry the optimiser's index: rebuild the cards in order.
  const opts = readForm().optimizers;
  const box = $('#optimizers');
  box.replaceChildren(...opts.map((o, i) => optimizerCard(i, o)));
}

function fillForm(form) {
  for (const [group, box] of Object.entries(BOXES)) {
    const keys = state.defaults.keys.filter(k => k.group === group);
    $('#' + box).replaceChildren(...keys.map(k => fieldInput(k, form.fields[k.name] ?? '')));
  }
  $('#optimizers').replaceChildren(...form.optimizers.map((o, i) => optimizerCard(i, o)));
}

function readForm() {
  const fields = {};
  for (const el of $$('#config [name]')) fields[el.name] = el.value;
  const optimizers = $$('#optimizers .opt').map(card => {
    const o = { name: $('select', card).value, params: {}, schedule: {} };
    for (const el of $$('input[data-param]', card)) o.params[el.dataset.param] = el.value;
    for (const el of $$('[data-sched]', card)) o.schedule[el.dataset.sched] = el.value;
    return o;
  });
  return { fields, optimizers };
}

function clearErrors(scope = document) {
  for (const el of $$('[data-err-for]', scope)) el.textContent = '';
  for (const el of $$('[aria-invalid]', scope)) el.removeAttribute('aria-invalid');
  $('#form-error').textContent = '';
}

// showError puts the server's message next to the field it names (or under
// the Run button) and moves the focus there.
function showError(err, fallback = '#form-error') {
  const field = err.field || '';
  const slot = field && $(`[data-err-for="${CSS.escape(field)}"]`);
  const input = field && $(`[data-field="${CSS.escape(field)}"]`);
  if (slot) slot.textContent = err.message; else $(fallback).textContent = err.message;
  if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
}

// ---------- streams ----------

class HTTPError extends Error {
  constructor(message, field) { super(message); this.field = field; }
}

// stream sends a request (POST body to url, or GET url when body is null)
// and calls onEvent(name, data) for every Server-Sent Event of the answer;
// it returns the id of the last event. Bad input rejects with an HTTPError.
async function stream(url, body, onEvent, signal, lastId = 0) {
  const init = body === null
    ? { headers: lastId ? { 'Last-Event-ID': String(lastId) } : {}, signal }
    : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal };
  const resp = await fetch(url, init);
  if (!resp.ok) {
    const e = await resp.json().catch(() => ({ error: resp.status + ' ' + resp.statusText }));
    const err = new HTTPError(e.error, e.field);
    err.status = resp.status;
    throw err;
  }
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const chunk = buf.slice(0, i);
      buf = buf.slice(i + 2);
      let name = 'message', data = '', id = 0;
      for (const line of chunk.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
        else if (line.startsWith('id: ')) id = Number(line.slice(4));
      }
      if (!data) continue; // a comment: the server is still there
      if (id) lastId = id;
      onEvent(name, JSON.parse(data));
    }
  }
  return lastId;
}

// follow streams a run's or sweep's events until its last one (final):
// first from the request that starts it (or, after a reload, from its
// events from the start), then, if the connection drops, from its events
// after the last one seen (Last-Event-ID). The work goes on on the server
// meanwhile.
async function follow(first, eventsURL, final, onEvent, signal) {
  let ended = false, lastId = 0, tries = 0, url = null;
  const on = (name, data) => {
    if (name === final) ended = true;
    onEvent(name, data);
    url = eventsURL();
  };
  try { lastId = await first(on); }
  catch (err) { if (err instanceof HTTPError || err.name === 'AbortError' || !url) throw err; }
  while (!ended && url) {
    if (++tries > 30) throw new Error('lost the connection to the server; reload the page to reconnect');
    await new Promise(r => setTimeout(r, Math.min(5000, 250 * tries)));
    try { lastId = await stream(url, null, on, signal, lastId); tries = 0; }
    catch (err) { if (err instanceof HTTPError || err.name === 'AbortError') throw err; }
  }
}

async function getJSON(url) {
  const resp = await fetch(url);
  const v = await resp.json();
  if (!resp.ok) throw new HTTPError(v.error, v.field);
  return v;
}

async function postJSON(url, body) {
  const resp = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const v = await resp.json();
  if (!resp.ok) throw new HTTPError(v.error, v.field);
  return v;
}

// ---------- charts ----------

function widthOf(el) { return Math.max(260, el.clientWidth || 400); }

function fig2Chart(el, title, steps, data) {
  return new uPlot({
    title, width: widthOf(el), height: 270, legend: { live: false },
    scales: { x: { time: false, range: [0, steps] } },
    axes: [{ label: 'iteration', size: 50 }, { label: 'inner product', size: 60 }],
    series: [{ label: 'step' },
      { label: 'feature +1', stroke: FEATURE, width: 2.5 },
      { label: 'noise +1', stroke: NOISE, width: 2.5 },
      { label: 'feature −1', stroke: FEATURE, width: 1.5, dash: [8, 5] },
      { label: 'noise −1', stroke: NOISE, width: 1.5, dash: [8, 5] }],
  }, data, el);
}

function lineChart(el, names, steps, data, opts = {}) {
  return new uPlot({
    width: widthOf(el), height: 230, legend: { live: false },
    scales: { x: { time: false, range: [0, steps] }, y: opts.log ? { distr: 3 } : { range: [0, 1] } },
    axes: [{ label: 'iteration', size: 50 }, { size: 60, values: (u, vals) => vals.map(v => (v === null ? '' : fmt(v, 3))) }],
    series: [{ label: 'step' }, ...names.map((n, i) => ({
      label: n, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true,
      points: { show: opts.points ?? false, size: 7 },
    }))],
  }, data, el);
}

function destroyCharts(list) {
  for (const c of list) c.destroy();
  list.length = 0;
}

// seriesOf returns [steps, values of col for each optimiser], aligned on the
// steps of the optimiser that logged the most.
function seriesOf(byOpt, names, col) {
  let xs = [];
  for (const n of names) {
    const steps = byOpt.get(n).steps;
    if (steps.length > xs.length) xs = steps;
  }
  const out = [xs.slice()];
  for (const n of names) {
    const o = byOpt.get(n);
    out.push(xs.map(s => { const r = o.rows.get(s); return r ? r[col] : null; }));
  }
  return out;
}

// ---------- run and watch ----------

function setupRunCharts(names, steps) {
  destroyCharts(state.charts);
  const fig = $('#fig2');
  fig.replaceChildren();
  const byOpt = new Map();
  names.forEach((n) => {
    const el = h('div', { class: 'chart', 'data-opt': n, role: 'img', 'aria-label': `Figure 2 for ${n}: feature learning and noise memorisation of both classes against the iteration` });
    fig.append(el);
    byOpt.set(n, { rows: new Map(), steps: [], chart: null, el });
  });
  const run = state.run;
  run.byOpt = byOpt;
  run.names = names;
  run.steps = steps;
  for (const n of names) {
    const o = byOpt.get(n);
    o.chart = fig2Chart(o.el, n, steps, [[], [], [], [], []]);
    state.charts.push(o.chart);
  }
  const mk = (id, col, opts) => {
    const el = $(id);
    el.replaceChildren();
    const c = lineChart(el, names, steps, seriesOf(byOpt, names, col), opts);
    state.charts.push(c);
    return c;
  };
  run.loss = mk('#chart-loss', 'loss', { log: true });
  run.train = mk('#chart-train', 'train_error', {});
  run.test = mk('#chart-test', 'test_error', { points: true });
}

let drawPending = false;
function redraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    const run = state.run;
    if (!run || !run.byOpt) return;
    for (const n of run.names) {
      const o = run.byOpt.get(n);
      const rows = o.steps.map(s => o.rows.get(s));
      o.chart.setData([o.steps.slice(), rows.map(r => r.feature_pos), rows.map(r => r.noise_min_pos),
        rows.map(r => r.feature_neg), rows.map(r => r.noise_min_neg)]);
    }
    run.loss.setData(seriesOf(run.byOpt, run.names, 'loss'));
    run.train.setData(seriesOf(run.byOpt, run.names, 'train_error'));
    run.test.setData(seriesOf(run.byOpt, run.names, 'test_error'));
    state.stats.draws = (state.stats.draws || 0) + 1;
  });
}

function addRows(rows) {
  const run = state.run;
  if (rows.length) {
    state.stats.firstStep = state.stats.firstStep ?? rows[0].step;
    state.stats.lastStep = rows[rows.length - 1].step;
  }
  for (const r of rows) {
    const o = run.byOpt.get(r.optimizer);
    if (!o) continue;
    if (!o.rows.has(r.step)) o.steps.push(r.step);
    o.rows.set(r.step, r);
  }
  redraw();
}

const TABLE_ROWS = [
  ['Training error (last iterate)', 'train_error', r => r.train_error],
  ['Test error (last iterate)', 'test_error', r => r.test_error],
  ['Training error (min-gradient iterate)', 'best_train_error', r => r.best && r.best.train_error],
  ['Test error (min-gradient iterate)', 'best_test_error', r => r.best && r.best.test_error],
  ['Min-gradient step (norm)', 'best_step', r => r.best && r.best.step],
  ['Final loss', 'final_loss', r => r.final_loss],
  ['Seconds', 'seconds', r => r.seconds],
  ['Test error on class +1 / −1 (last iterate)', 'test_error_by_class', r => [r.test_error_pos, r.test_error_neg]],
  ['Test error on class +1 / −1 (min-gradient iterate)', 'best_test_error_by_class', r => r.best && [r.best.test_error_pos, r.best.test_error_neg]],
]; // report.Table1's rows, in its order

// table1 renders summary.json's runs as the paper's Table 1; every number
// cell keeps the exact value in data-value.
function table1(runs) {
  const head = h('tr', {}, h('th', {}, ''), runs.map(r => h('th', { scope: 'col' }, r.optimizer)));
  const body = TABLE_ROWS.map(([label, key, get]) => h('tr', {}, h('th', { scope: 'row' }, label), runs.map(r => {
    const v = r.error && key !== 'seconds' ? null : get(r);
    if (key.endsWith('_by_class')) {
      const [pos, neg] = Array.isArray(v) ? v : [null, null];
      const str = (x) => (x === null || x === undefined ? '' : String(x));
      return h('td', { 'data-opt': r.optimizer, 'data-key': key, 'data-value': str(pos) + '/' + str(neg) }, `${fmt(pos)} / ${fmt(neg)}`);
    }
    let text = fmt(v);
    if (key === 'best_step' && v !== null && v !== undefined) text = `${v} (${r.best.norm} ${fmt(r.best.grad_norm, 3)})`;
    if (key === 'seconds' && typeof v === 'number') text = v.toFixed(2);
    return h('td', { 'data-opt': r.optimizer, 'data-key': key, 'data-value': v === null || v === undefined ? '' : String(v) }, text);
  })));
  const t = h('table', { id: 'table1-table' }, h('thead', {}, head), h('tbody', {}, body));
  const notes = runs.filter(r => r.error).map(r => h('p', { class: 'err' }, `${r.optimizer} did not finish: ${r.error}`));
  return [t, h('p', { class: 'hint' }, 'The min-gradient iterate is Theorem 4.1\'s output: the iterate with the smallest gradient norm (ℓ₁ for the Adam family and sign GD, ℓ₂ for GD and SGD), among every step at full batch and among the logged ones with mini-batches.'), ...notes];
}

// RUN_KEY keeps the id of the tab's run across reloads (sessionStorage):
// the run belongs to the server, and the page reconnects to it.
const RUN_KEY = 'adamgap.run';

async function startRun(ev) {
  ev && ev.preventDefault();
  if (state.run && state.run.controller) return;
  clearErrors();
  const form = readForm();
  await watchRun((on, signal) => stream('api/run', form, on, signal));
}

// reconnectRun shows the run of this tab that was going (or done) before a
// reload: its events replayed from the start, then live.
async function reconnectRun(id) {
  await watchRun((on, signal) => stream(`api/run/${encodeURIComponent(id)}/events`, null, on, signal), true);
}

async function watchRun(first, reconnecting = false) {
  const controller = new AbortController();
  const t0 = performance.now();
  state.run = { controller, id: null };
  Object.assign(state.stats, { firstUpdateMs: null, tableMs: null, updates: 0, started: t0, draws: 0, firstStep: null, lastStep: null, runID: null });
  $('#run').disabled = true;
  $('#stop').disabled = false;
  $('#status').textContent = reconnecting ? 'Reconnecting to the run…' : 'Starting…';
  $('#run-memory').hidden = true;
  const before = Array.from($('#table1').childNodes);
  $('#table1').replaceChildren(h('p', { class: 'hint' }, 'Training…'));
  const tookAway = $('#takeaway').hidden;
  $('#takeaway').hidden = true;
  let firstRows = 0, lastRows = 0;
  try {
    await follow(first, () => state.run.id && `api/run/${state.run.id}/events`, 'result', (name, data) => {
      switch (name) {
        case 'start':
          state.run.id = data.id;
          state.stats.runID = data.id;
          sessionStorage.setItem(RUN_KEY, data.id);
          state.run.command = data.command;
          state.run.snapshots = data.snapshots;
          // A run above 1 GiB says so, as "adamgap run" prints it.
          $('#run-memory').textContent = data.memory || '';
          $('#run-memory').hidden = !data.memory;
          if (state.run.names) break; // replayed after a dropped connection
          setupRunCharts(data.optimizers, data.steps);
          fillSnapshots(data.snapshots);
          break;
        case 'queued':
          $('#status').textContent = `Waiting: place ${data.position} in the queue (other runs are training).`;
          break;
        case 'running':
          $('#status').textContent = 'Training…';
          break;
        case 'rows': {
          const now = performance.now();
          if (state.stats.firstUpdateMs === null) { state.stats.firstUpdateMs = now - t0; firstRows = now; }
          lastRows = now;
          state.stats.updates++;
          addRows(data);
          const last = data[data.length - 1];
          $('#status').textContent = `Training… step ${last.step} of ${state.run.steps}`;
          break;
        }
        case 'result':
          showResult(data);
          state.stats.tableMs = performance.now() - t0;
          state.stats.updatesPerSecond = lastRows - firstRows >= 500 ? (state.stats.updates - 1) / ((lastRows - firstRows) / 1000) : null;
          $('#status').textContent = (data.stopped ? `Stopped (${data.stopped}). ` : 'Done. ') +
            `First curves after ${Math.round(state.stats.firstUpdateMs ?? 0)} ms, Table 1 after ${Math.round(state.stats.tableMs)} ms, ` +
            `${state.stats.updates} updates` + (state.stats.updatesPerSecond ? ` (${state.stats.updatesPerSecond.toFixed(1)}/s)` : '') + '.';
          break;
        case 'error':
          $('#form-error').textContent = data.error;
          break;
      }
    }, controller.signal);
  } catch (err) {
    if (!state.run.id) { // nothing started: the table and downloads stay as they were
      $('#table1').replaceChildren(...before);
      $('#takeaway').hidden = tookAway;
    }
    if (reconnecting && err.status === 404) {
      sessionStorage.removeItem(RUN_KEY);
      $('#status').textContent = 'The run of this tab is no longer on the server (it was restarted, or the run was forgotten).';
      $('#table1').replaceChildren(h('p', { class: 'hint' }, 'Press Run: the table appears when training ends.'));
    } else if (err.name === 'AbortError') $('#status').textContent = 'Stopped.';
    else { showError(err); $('#status').textContent = ''; }
  } finally {
    $('#run').disabled = false;
    $('#stop').disabled = true;
    if (state.run) state.run.controller = null;
  }
}

// dataNote is what summary.json says of the data beyond Table 1, as
// "adamgap run" prints it: the noise kind, ‖μ‖ and SNR, the flipped labels
// with label noise and each optimiser's test error on the clean labels
// (test_error is then on the flipped ones; the Bayes risk is p), and where
// the test set came from.
function dataNote(summary) {
  const d = summary && summary.data;
  if (!d) return [];
  // A file's two sets (data_from with a test set) are what they are: the
  // configured noise, ‖μ‖ and SNR describe nothing of them.
  const fromFile = (d.test_set || '').startsWith('data_from ');
  // A training set from a file with a drawn test set: the knobs describe
  // the test set only (summary.json's train_set names the file).
  const trainFile = (d.train_set || '').startsWith('data_from ') ? d.train_set.slice('data_from '.length) : '';
  let text = fromFile ? `Data: training and test sets from ${d.test_set.slice('data_from '.length)}`
    : (trainFile ? `Data: training set from ${trainFile}; test set drawn with ` : 'Data: ') +
      `noise=${d.noise}, ‖μ‖=${fmt(d.signal_norm)}, SNR=‖μ‖/(σp·√d)=${fmt(d.snr, 4)}`;
  if (!fromFile && d.label_noise > 0) text += `, label_noise=${d.label_noise} (${d.train_flipped} training labels flipped, ${d.test_flipped} test labels)`;
  const out = [h('p', { class: 'hint data-note' }, text)];
  const clean = (summary.runs || []).filter(r => !r.error && r.test_error_clean !== undefined && r.test_error_clean !== null);
  if (clean.length) {
    const head = h('tr', {}, h('th', {}, ''), clean.map(r => h('th', { scope: 'col' }, r.optimizer)));
    const row = (label, key, get) => h('tr', {}, h('th', { scope: 'row' }, label), clean.map(r => {
      const v = get(r);
      return h('td', { 'data-opt': r.optimizer, 'data-key': key, 'data-value': v === null || v === undefined ? '' : String(v) }, fmt(v));
    }));
    out.push(h('table', { class: 'clean-table' }, h('thead', {}, head), h('tbody', {}, [
      row(d.label_noise > 0 ? `Test error on the flipped labels (last iterate; Bayes risk ${d.label_noise})` : 'Test error on y_test (last iterate)', 'test_error', r => r.test_error),
      row('Test error on the clean labels (last iterate)', 'test_error_clean', r => r.test_error_clean),
      row('Test error on the clean labels (min-gradient iterate)', 'best_test_error_clean', r => r.best && r.best.test_error_clean),
    ])));
  }
  if (d.test_set) out.push(h('p', { class: 'hint' }, 'Test set: ' + d.test_set));
  return out;
}

function showResult(data) {
  const run = state.run;
  run.result = data;
  $('#table1').replaceChildren(...table1(data.runs), ...dataNote(data));
  if (data.paper) $('#table1').append(h('p', {}, data.paper));
  if (data.stopped) $('#table1').append(h('p', { class: 'err' }, 'The run stopped early: ' + data.stopped));
  $('#command').textContent = run.command;
  const base = `api/run/${run.id}/file/`;
  $('#dl-config').href = base + 'config.yaml';
  $('#dl-metrics').href = base + 'metrics.csv';
  $('#dl-weights').href = base + 'weights.npz';
  $('#dl-svg').href = base + 'figure2.svg';
  $('#takeaway').hidden = false;
  $('#saved').textContent = '';
  loadWeights();
}

// stopJob stops a run or a sweep (kind): through the server once it has
// an id, else (or if the server cannot be reached) by aborting its request.
async function stopJob(job, kind, button) {
  if (!job) return;
  $(button).disabled = true;
  if (job.id) {
    try { await postJSON(`api/${kind}/${job.id}/stop`); return; } catch (e) { /* fall through */ }
  }
  if (job.controller) job.controller.abort();
}

function stopRun() { return stopJob(state.run, 'run', '#stop'); }

async function saveRun() {
  clearErrors($('#takeaway'));
  try {
    const v = await postJSON(`api/run/${state.run.id}/save`, { name: $('#save-name').value });
    $('#saved').textContent = ` Saved to ${v.path} under the root.`;
    loadListing(state.listingPath || '.');
  } catch (err) { showError(err, '#saved'); }
}

async function copyText(text, button) {
  try { await navigator.clipboard.writeText(text); }
  catch (e) {
    const ta = h('textarea', {}, text);
    document.body.append(ta); ta.select(); document.execCommand('copy'); ta.remove();
  }
  const old = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = old; }, 1500);
}

// pngOfCharts draws the charts of the run view on one canvas.
function pngOfCharts() {
  const canvases = $$('#view-run .chart canvas');
  if (!canvases.length) return;
  const dpr = window.devicePixelRatio || 1;
  const pad = 10 * dpr, titleH = 24 * dpr;
  const rows = [canvases.slice(0, state.run.names.length), canvases.slice(state.run.names.length)];
  const titles = [state.run.names, ['training loss', 'training error', 'test error']];
  const width = Math.max(...rows.map(r => r.reduce((s, c) => s + c.width + pad, pad)));
  const height = rows.reduce((s, r) => s + Math.max(0, ...r.map(c => c.height)) + titleH + pad, pad);
  const out = h('canvas', { width, height });
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000'; ctx.font = `${14 * dpr}px sans-serif`;
  let y = pad;
  rows.forEach((r, k) => {
    let x = pad;
    r.forEach((c, i) => {
      ctx.fillText(titles[k][i] || '', x, y + 16 * dpr);
      ctx.drawImage(c, x, y + titleH);
      x += c.width + pad;
    });
    y += Math.max(0, ...r.map(c => c.height)) + titleH + pad;
  });
  const a = h('a', { href: out.toDataURL('image/png'), download: 'explorer.png' });
  document.body.append(a); a.click(); a.remove();
}

// ---------- weights ----------

function fillSnapshots(steps) {
  const sel = $('#snap-step');
  sel.replaceChildren(...steps.map(s => h('option', { value: s }, String(s))));
  sel.value = String(steps[steps.length - 1]);
}

const scatterCharts = [];
async function loadWeights() {
  const run = state.run;
  if (!run || !run.id) return;
  const step = $('#snap-step').value;
  let v;
  try { v = await getJSON(`api/run/${run.id}/weights?step=${step}`); }
  catch (err) { $('#scatter').replaceChildren(h('p', { class: 'err' }, err.message)); return; }
  destroyCharts(scatterCharts);
  const box = $('#scatter');
  box.replaceChildren();
  const names = run.names.filter(n => v.optimizers[n]);
  if (!names.length) { box.append(h('p', { class: 'hint' }, `Step ${step} has not been reached yet.`)); return; }
  // Lay out every panel before drawing, so that each chart gets its width.
  const els = names.map(n => h('div', { class: 'chart', 'data-opt': n, role: 'img', 'aria-label': `${n} at step ${step}: each neuron's weight on the feature against its largest weight on the noise of its class` }));
  box.append(...els);
  // One scale for every panel, so that the optimisers compare at a glance.
  const all = names.flatMap(n => v.optimizers[n]);
  const span = (vals) => {
    let lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
    const pad = (hi - lo) * 0.05 || 1e-3;
    return [lo - pad, hi + pad];
  };
  const xr = span(all.map(p => p.feature)), yr = span(all.map(p => p.noise).filter(Number.isFinite));
  names.forEach((n, k) => {
    const el = els[k];
    const col = PALETTE[run.names.indexOf(n) % PALETTE.length];
    const pts = v.optimizers[n].slice().sort((a, b) => a.feature - b.feature);
    const xs = pts.map(p => p.feature);
    const pos = pts.map(p => p.j > 0 ? p.noise : null);
    const neg = pts.map(p => p.j < 0 ? p.noise : null);
    const c = new uPlot({
      title: `${n}, step ${step}`, width: widthOf(el), height: 300, legend: { live: false },
      scales: { x: { time: false, range: xr }, y: { range: yr } },
      axes: [{ label: 'feature ⟨wⱼᵣ, j·v⟩', size: 50 }, { label: 'noise maxᵢ ⟨wⱼᵣ, ξᵢ⟩', size: 65 }],
      series: [{ label: 'feature' },
        { label: 'class +1', stroke: col, fill: col, paths: () => null, points: { show: true, size: 10, fill: col, stroke: col } },
        { label: 'class −1', stroke: col, paths: () => null, points: { show: true, size: 10, fill: '#fff', stroke: col, width: 2 } }],
    }, [xs, pos, neg], el);
    scatterCharts.push(c);
    state.stats.scatterScales = scatterCharts.map(u => [u.scales.x.min, u.scales.x.max, u.scales.y.min, u.scales.y.max]);
  });
}

// ---------- sweep ----------

// heatmap draws the grid as SVG: one cell per (x, y), coloured by the mean
// gap on a blue–white–red scale over [−1, 1]; hover or focus shows mean ± sd.
function heatmap(grid) {
  const ns = 'http://www.w3.org/2000/svg';
  const s = (tag, attrs = {}, text) => {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const cw = 112, ch = 64, left = 90, top = 40, bottom = 60;
  const ys = grid.ys.slice().reverse(); // larger values up, as in the README
  const W = left + cw * grid.xs.length + 130, H = top + ch * ys.length + bottom;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'font-family': 'sans-serif', 'font-size': 16 });
  const title = grid.b ? `test error: ${grid.a} − ${grid.b} (mean over seeds)` : `test error: ${grid.a}`;
  svg.append(s('title', {}, title), s('text', { x: left, y: 22, 'font-weight': 600 }, title));
  const color = (v) => {
    const t = Math.max(-1, Math.min(1, v));
    const mix = (a, b, f) => Math.round(a + (b - a) * f);
    if (t >= 0) return `rgb(${mix(255, 214, t)},${mix(255, 39, t)},${mix(255, 40, t)})`;
    return `rgb(${mix(255, 31, -t)},${mix(255, 119, -t)},${mix(255, 180, -t)})`;
  };
  const cells = new Map(grid.cells.map(c => [c.x + '\u0000' + c.y, c]));
  ys.forEach((yv, r) => {
    svg.append(s('text', { x: left - 8, y: top + r * ch + ch / 2 + 5, 'text-anchor': 'end' }, yv));
    grid.xs.forEach((xv, c) => {
      const cell = cells.get(xv + '\u0000' + yv);
      const stat = cell && (grid.b ? cell.gap : cell.test_error[grid.a]);
      const x = left + c * cw, y = top + r * ch;
      const label = `${grid.x}=${xv}` + (grid.y ? `, ${grid.y}=${yv}` : '') + ': ' +
        (stat ? `${fmt(stat.mean, 3)} ± ${fmt(stat.sd, 2)} over ${stat.n} seed${stat.n === 1 ? '' : 's'}` : 'not run yet') +
        (cell ? Object.entries(cell.test_error).map(([n, m]) => `; ${n} ${fmt(m.mean, 3)} ± ${fmt(m.sd, 2)}`).join('') : '');
      const rect = s('rect', { class: 'cell', x, y, width: cw - 2, height: ch - 2, fill: stat ? color(stat.mean) : '#eee',
        stroke: '#999', tabindex: 0, 'aria-label': label, 'data-x': xv, 'data-y': yv, 'data-mean': stat ? stat.mean : '' });
      const tip = $('#tip');
      const show = (ev) => {
        tip.textContent = label; tip.hidden = false;
        const b = rect.getBoundingClientRect();
        tip.style.left = (ev && ev.clientX ? ev.clientX + 12 : b.right) + 'px';
        tip.style.top = (ev && ev.clientY ? ev.clientY + 12 : b.bottom) + 'px';
      };
      rect.addEventListener('mousemove', show);
      rect.addEventListener('focus', () => show());
      rect.addEventListener('mouseleave', () => { tip.hidden = true; });
      rect.addEventListener('blur', () => { tip.hidden = true; });
      svg.append(rect);
      if (stat) {
        svg.append(s('text', { x: x + cw / 2 - 1, y: y + ch / 2 + 5, 'text-anchor': 'middle', 'pointer-events': 'none',
          fill: Math.abs(stat.mean) > 0.6 ? '#fff' : '#000' }, fmt(stat.mean, 2)));
      }
    });
  });
  grid.xs.forEach((xv, c) => svg.append(s('text', { x: left + c * cw + cw / 2, y: top + ys.length * ch + 20, 'text-anchor': 'middle' }, xv)));
  svg.append(s('text', { x: left + cw * grid.xs.length / 2, y: top + ys.length * ch + 45, 'text-anchor': 'middle', 'font-weight': 600 }, grid.x));
  if (grid.y) svg.append(s('text', { x: 18, y: top + ch * ys.length / 2, 'text-anchor': 'middle', 'font-weight': 600, transform: `rotate(-90 18 ${top + ch * ys.length / 2})` }, grid.y));
  // colour bar
  const bx = left + cw * grid.xs.length + 30, bh = Math.max(ch * ys.length, 120);
  for (let k = 0; k < 20; k++) {
    const v = 1 - 2 * k / 19;
    svg.append(s('rect', { x: bx, y: top + k * bh / 20, width: 20, height: bh / 20 + 1, fill: color(v) }));
  }
  svg.append(s('text', { x: bx + 26, y: top + 10 }, '+1'), s('text', { x: bx + 26, y: top + bh / 2 + 5 }, '0'), s('text', { x: bx + 26, y: top + bh }, '−1'));
  svg.setAttribute('height', Math.max(H, top + bh + 20));
  svg.setAttribute('viewBox', `0 0 ${W} ${Math.max(H, top + bh + 20)}`);
  return svg;
}

const SWEEP_KEY = 'adamgap.sweep';

async function startSweep() {
  if (state.sweep) return;
  clearErrors($('#view-sweep'));
  const body = {
    form: readForm(),
    x: { key: $('#sx-key').value, values: $('#sx-values').value },
    y: { key: $('#sy-key').value, values: $('#sy-values').value },
    seeds: $('#s-seeds').value,
  };
  if (!body.y.key) body.y.values = '';
  await watchSweep((on, signal) => stream('api/sweep', body, on, signal));
}

async function watchSweep(first, reconnecting = false) {
  const controller = new AbortController();
  state.sweep = { controller, id: null };
  $('#sweep-run').disabled = true;
  $('#sweep-stop').disabled = false;
  $('#sweep-status').textContent = reconnecting ? 'Reconnecting to the sweep…' : 'Starting…';
  let grid = null;
  try {
    await follow(first, () => state.sweep.id && `api/sweep/${state.sweep.id}/events`, 'done', (name, data) => {
      switch (name) {
        case 'start':
          state.sweep.id = data.id;
          sessionStorage.setItem(SWEEP_KEY, data.id);
          grid = data.grid;
          $('#sweep-cmd').textContent = data.command;
          $('#sweep-cmd-box').hidden = false;
          $('#heatmap').replaceChildren(heatmap(grid));
          $('#sweep-status').textContent = `Writing to ${data.dir} under the root; ${grid.total} runs.` + (data.memory ? ` ${data.memory}.` : '');
          break;
        case 'queued':
          $('#sweep-status').textContent = `Waiting: place ${data.position} in the queue.`;
          break;
        case 'cell':
          grid.cells = grid.cells.filter(c => !(c.x === data.cell.x && c.y === data.cell.y));
          grid.cells.push(data.cell);
          grid.done = data.done;
          $('#heatmap').replaceChildren(heatmap(grid));
          $('#sweep-status').textContent = `${data.done} of ${grid.total} runs done` + (data.failed ? `, ${data.failed} failed` : '') + ` (last: ${data.run}).`;
          break;
        case 'done':
          $('#sweep-status').textContent = `Done: ${data.done} runs` + (data.failed ? `, ${data.failed} failed` : '') + (data.error ? `. ${data.error}` : '.') +
            (data.kept ? ` The folder ${data.kept} is kept, marked incomplete; the commands below finish it.` : '');
          if (data.removed) $('#sweep-cmd-box').hidden = true;
          break;
      }
    }, controller.signal);
  } catch (err) {
    if (reconnecting && err.status === 404) sessionStorage.removeItem(SWEEP_KEY);
    else if (err.name === 'AbortError') $('#sweep-status').textContent = 'Stopped; finished runs are kept in the sweep folder.';
    else { showError(err, '[data-err-for="sweep"]'); $('#sweep-status').textContent = ''; }
  } finally {
    state.sweep = null;
    $('#sweep-run').disabled = false;
    $('#sweep-stop').disabled = true;
  }
}

function stopSweep() { return stopJob(state.sweep, 'sweep', '#sweep-stop'); }

function downloadSVG(svg, name) {
  if (!svg) return;
  const text = new XMLSerializer().serializeToString(svg);
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' })), download: name });
  document.body.append(a); a.click(); a.remove();
}

// ---------- results ----------

async function loadListing(path) {
  let l;
  try { l = await getJSON('api/browse?path=' + encodeURIComponent(path)); }
  catch (err) { $('#listing').replaceChildren(h('li', { class: 'err' }, err.message)); return; }
  state.listingPath = l.path;
  const parts = l.path === '.' ? [] : l.path.split('/');
  $('#crumbs').replaceChildren(h('button', { type: 'button', onclick: () => loadListing('.') }, 'root'),
    ...parts.map((p, i) => [' / ', h('button', { type: 'button', onclick: () => loadListing(parts.slice(0, i + 1).join('/')) }, p)]).flat());
  const rel = (name) => (l.path === '.' ? name : l.path + '/' + name);
  $('#listing').replaceChildren(...l.entries.filter(e => e.dir).map(e => h('li', {},
    h('button', { type: 'button', 'data-path': rel(e.name), onclick: () => loadListing(rel(e.name)) }, e.name + '/'),
    e.kind ? [' ', h('span', { class: 'kind' }, e.kind), e.note ? [' ', h('span', { class: 'note' }, e.note)] : null, ' ',
      h('button', { type: 'button', 'data-open': rel(e.name), 'data-pane': 0, onclick: () => openFolder(rel(e.name), 0) }, 'open left'), ' ',
      h('button', { type: 'button', 'data-open': rel(e.name), 'data-pane': 1, onclick: () => openFolder(rel(e.name), 1) }, 'open right')] : null)));
  if (!l.entries.some(e => e.dir)) $('#listing').append(h('li', { class: 'hint' }, 'No folders here.'));
}

// markdownTable turns the first Markdown table of text into a table.
function markdownTable(text) {
  const lines = text.split('\n').filter(l => l.startsWith('|'));
  if (lines.length < 2) return h('pre', {}, text);
  const cells = (l) => l.slice(1, l.endsWith('|') ? -1 : undefined).split('|').map(c => c.trim());
  return h('table', {}, h('thead', {}, h('tr', {}, cells(lines[0]).map(c => h('th', {}, c)))),
    h('tbody', {}, lines.slice(2).map(l => h('tr', {}, cells(l).map((c, i) => i ? h('td', {}, c) : h('th', { scope: 'row' }, c))))));
}

// markdownTables shows every Markdown table of text (and the lines between
// them as text).
function markdownTables(text) {
  const groups = [];
  for (const line of text.split('\n')) {
    const isTable = line.startsWith('|');
    const last = groups[groups.length - 1];
    if (last && last.isTable === isTable) last.lines.push(line);
    else groups.push({ isTable, lines: [line] });
  }
  return groups.map(g => g.isTable ? markdownTable(g.lines.join('\n')) : g.lines.join('\n').trim())
    .filter(x => x !== '').map(x => typeof x === 'string' ? h('pre', {}, x) : x);
}

const paneCharts = [[], []];
async function openFolder(path, pane) {
  const box = $('#pane-' + pane);
  destroyCharts(paneCharts[pane]);
  let f;
  try { f = await getJSON('api/folder?path=' + encodeURIComponent(path)); }
  catch (err) { box.replaceChildren(h('p', { class: 'err' }, err.message)); return; }
  box.replaceChildren(h('h3', {}, f.path, ' ', h('span', { class: 'kind' }, f.kind || 'folder')));
  box.dataset.path = f.path;
  if (f.error) box.append(h('p', { class: 'err' }, f.error));
  // Files that could not be read (not valid, too large, not a regular
  // file, a link out of the root): named, one a line.
  if (f.problems && f.problems.length) {
    box.append(h('div', { class: 'problems', role: 'alert' }, h('p', { class: 'err' }, `${f.problems.length} file${f.problems.length === 1 ? '' : 's'} could not be read:`),
      h('ul', {}, f.problems.map(p => h('li', { class: 'err' }, p)))));
  }
  for (const [name, text] of Object.entries(f.tables || {}).sort()) {
    box.append(h('h3', {}, name), h('div', { class: 'table1 report', 'data-table': name }, markdownTables(text)));
  }
  const thinned = Object.entries(f.metrics_every || {}).filter(([, k]) => k > 1);
  if (thinned.length) box.append(h('p', { class: 'hint' }, `metrics.csv is long: the curves show every ${thinned[0][1]}-th logged row and the last.`));
  if (f.kind === 'run') {
    if (f.table1) box.append(h('div', { class: 'table1' }, markdownTable(f.table1)));
    box.append(...dataNote(f.summary));
    const names = Object.keys(f.metrics || {});
    for (const n of names) {
      const m = f.metrics[n];
      const el = h('div', { class: 'chart' });
      box.append(el);
      const steps = m.step[m.step.length - 1] || 1;
      paneCharts[pane].push(fig2Chart(el, n, steps, [m.step, m.feature_pos, m.noise_min_pos, m.feature_neg, m.noise_min_neg]));
    }
    if (names.length) {
      const el = h('div', { class: 'chart' });
      box.append(h('h3', {}, 'Test error'), el);
      const longest = names.reduce((a, n) => f.metrics[n].step.length > f.metrics[a].step.length ? n : a, names[0]);
      const xs = f.metrics[longest].step;
      const data = [xs, ...names.map(n => { const m = f.metrics[n]; const at = new Map(m.step.map((s, i) => [s, m.test_error[i]])); return xs.map(s => at.get(s) ?? null); })];
      paneCharts[pane].push(lineChart(el, names, xs[xs.length - 1] || 1, data, { points: true }));
    }
  }
  if (f.kind === 'sweep' && f.grid) box.append(heatmap(f.grid));
  if (f.command) {
    const b = h('button', { type: 'button' }, 'Copy the command');
    b.addEventListener('click', () => copyText(f.command, b));
    box.append(h('div', { class: 'cmd' }, h('pre', {}, f.command), b));
  }
  // Figures the CLI wrote (figure2.png, a sweep's heat maps) as they are.
  for (const n of f.files.filter(n => n.endsWith('.png')).slice(0, 6)) {
    box.append(h('figure', {}, h('img', { src: 'api/file?inline=1&path=' + encodeURIComponent(f.path + '/' + n), alt: n, style: 'max-width: 100%' }), h('figcaption', {}, n)));
  }
  if (f.files.length) box.append(h('p', { class: 'downloads' }, 'Files: ', f.files.map(n => [h('a', { href: 'api/file?path=' + encodeURIComponent(f.path + '/' + n), download: n }, n), ' '])));
  if (f.config) box.append(h('details', {}, h('summary', {}, 'config.yaml'), h('pre', {}, f.config)));
  if (f.spec) box.append(h('details', {}, h('summary', {}, 'sweep.yaml'), h('pre', {}, f.spec)));
}

// ---------- tabs and start ----------

function selectTab(tab) {
  for (const t of $$('[role=tab]')) {
    const on = t === tab;
    t.setAttribute('aria-selected', on);
    t.tabIndex = on ? 0 : -1;
    $('#' + t.getAttribute('aria-controls')).hidden = !on;
  }
  if (tab.id === 'tab-results') loadListing(state.listingPath || '.');
  if (tab.id === 'tab-weights') loadWeights();
  window.dispatchEvent(new Event('resize'));
}

function setupTabs() {
  const tabs = $$('[role=tab]');
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => selectTab(t));
    t.addEventListener('keydown', (e) => {
      const k = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (k) { const n = tabs[(i + k + tabs.length) % tabs.length]; n.focus(); selectTab(n); }
    });
  });
  selectTab(tabs[0]);
}

function resizeAll() {
  for (const list of [state.charts, scatterCharts, ...paneCharts]) {
    for (const c of list) {
      const el = c.root.parentElement;
      if (el && el.clientWidth) c.setSize({ width: widthOf(el), height: c.height });
    }
  }
}

async function main() {
  state.defaults = await getJSON('api/defaults');
  fillForm(state.defaults.form);
  $('#root').textContent = state.defaults.root;
  $('#config').addEventListener('submit', startRun);
  $('#stop').addEventListener('click', stopRun);
  $('#reset').addEventListener('click', () => { clearErrors(); fillForm(state.defaults.form); });
  $('#add-opt').addEventListener('click', () => {
    const form = readForm();
    form.optimizers.push(structuredClone(state.defaults.optimizers.find(o => o.name === 'sgd') || state.defaults.optimizers[0]));
    $('#optimizers').replaceChildren(...form.optimizers.map((o, i) => optimizerCard(i, o)));
  });
  $('#copy-cmd').addEventListener('click', (e) => copyText($('#command').textContent, e.target));
  $('#copy-sweep').addEventListener('click', (e) => copyText($('#sweep-cmd').textContent, e.target));
  $('#heat-svg').addEventListener('click', () => downloadSVG($('#heatmap svg'), 'heatmap.svg'));
  $('#dl-png').addEventListener('click', pngOfCharts);
  $('#save').addEventListener('click', saveRun);
  $('#snap-step').addEventListener('change', loadWeights);
  const axes = state.defaults.keys.filter(k => k.sweep).map(k => k.name);
  $('#sx-key').replaceChildren(...axes.map(k => h('option', { value: k, selected: k === 'alpha' }, k)));
  $('#sy-key').replaceChildren(h('option', { value: '' }, '(none)'), ...axes.map(k => h('option', { value: k, selected: k === 'sigma_p' }, k)));
  $('#sweep-run').addEventListener('click', startSweep);
  $('#sweep-stop').addEventListener('click', stopSweep);
  setupTabs();
  let t;
  window.addEventListener('resize', () => { clearTimeout(t); t = setTimeout(resizeAll, 100); });
  document.body.dataset.ready = 'true';
  // After a reload: the runs and sweeps of this tab go on on the server.
  const runID = sessionStorage.getItem(RUN_KEY);
  if (runID) reconnectRun(runID);
  const sweepID = sessionStorage.getItem(SWEEP_KEY);
  if (sweepID) watchSweep((on, signal) => stream(`api/sweep/${encodeURIComponent(sweepID)}/events`, null, on, signal), true);
}

main().catch(err => { document.body.prepend(h('p', { class: 'err' }, 'The page could not start: ' + err.message)); });
