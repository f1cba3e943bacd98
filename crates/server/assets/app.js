// Rapport's dashboard: done and snooze, the draft check as you type, merge and split, the import,
// and live updates. Whatever comes from the server goes into the page as text (textContent, text
// nodes), never as HTML: names and texts are imported, so hostile by assumption.
'use strict';

(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
  // The view the address chose (as=, as_of=), which the page's requests ask for too.
  const chosen = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(location.search)) {
    if (key === 'as' || key === 'as_of') chosen.append(key, value);
  }
  const view = chosen.toString() ? `?${chosen}` : '';
  // A page's own filter forms keep the chosen view too.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.method !== 'get' || form.closest('.view-switch')) return;
    for (const [key, value] of chosen) {
      if (form.elements[key]) continue;
      form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: key, value }));
    }
  });
  const live = document.getElementById('live');
  const say = (text) => {
    if (live) live.textContent = text;
  };

  /** POSTs JSON (or a raw body) with the CSRF token; resolves to the answer, rejects with its message. */
  async function send(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body ?? {}),
      credentials: 'same-origin',
    });
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      // Not JSON: the status says enough.
    }
    if (!response.ok) throw new Error((data && data.message) || `${response.status} ${response.statusText}`);
    return data;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function showError(near, err) {
    let box = near.querySelector('.error');
    if (!box) {
      box = element('p', 'error');
      box.setAttribute('role', 'alert');
      near.append(box);
    }
    box.textContent = err.message;
  }

  // ── Done and snooze ────────────────────────────────────────────────────────────────────────
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-do]');
    if (!button) return;
    const card = button.closest('[data-action-id]');
    const id = encodeURIComponent(card.dataset.actionId);
    button.disabled = true;
    try {
      if (button.dataset.do === 'done') {
        await send(`/api/today/${id}/done${view}`);
        say('Marked done.');
      } else {
        const days = Number(card.querySelector('[data-snooze-days]').value);
        const answer = await send(`/api/today/${id}/snooze${view}`, { days });
        say(`Snoozed until ${answer.until}.`);
      }
      const item = card.closest('li') || card;
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      // Keyboard users land on the next action, not at the top of the page.
      const link = next && next.querySelector('h2 a');
      if (link) link.focus();
    } catch (err) {
      showError(card, err);
      button.disabled = false;
    }
  });

  // ── The draft check as you type ────────────────────────────────────────────────────────────
  const pending = new WeakMap();
  const asked = new WeakMap();

  /** Draws the draft behind its box with the flagged phrases marked, so they show in place. */
  function drawMirror(box, text, findings) {
    const mirror = box.parentElement.querySelector('.mirror');
    if (!mirror) return;
    const parts = [];
    let at = 0;
    const spans = findings.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start);
    for (const f of spans) {
      if (f.start < at) continue;
      parts.push(document.createTextNode(text.slice(at, f.start)));
      const mark = element('mark', `sev-${f.severity >= 0.5 ? 'high' : 'low'}`, text.slice(f.start, f.end));
      parts.push(mark);
      at = f.end;
    }
    // The trailing newline keeps the mirror as tall as the box when the text ends with one.
    parts.push(document.createTextNode(`${text.slice(at)}\n`));
    mirror.replaceChildren(...parts);
    mirror.scrollTop = box.scrollTop;
  }

  function drawResult(out, report) {
    const head = element('p', `verdict verdict-${report.verdict}`);
    const meter = element('meter');
    meter.min = 0;
    meter.max = 1;
    meter.low = 0.3;
    meter.high = 0.6;
    meter.optimum = 0;
    meter.value = report.score;
    meter.setAttribute('aria-label', 'interruption score');
    head.append(
      element('strong', null, report.verdict === 'fine' ? 'Reads fine' : `Reads as ${report.verdict.replace('-', ' ')}`),
      ' ',
      meter,
      ' ',
      element('span', 'num', report.score.toFixed(2)),
    );
    const list = element('ul', 'findings');
    for (const f of report.findings) {
      const item = element('li');
      item.append(element('q', null, f.phrase), ' ', element('span', null, f.reason), ' ');
      if (f.suggestion) item.append(element('span', 'suggestion', `Try: ${f.suggestion}`));
      item.append(' ', element('code', 'muted', f.rule));
      list.append(item);
    }
    out.replaceChildren(head);
    if (report.findings.length) out.append(list);
  }

  async function check(box) {
    const text = box.value;
    const out = document.getElementById(`${box.id}-result`);
    if (!text.trim()) {
      drawMirror(box, text, []);
      if (out) out.replaceChildren();
      return;
    }
    const mine = (asked.get(box) || 0) + 1;
    asked.set(box, mine);
    try {
      const report = await send(`/api/check${view}`, {
        text,
        kind: box.dataset.check,
        to: box.dataset.to || null,
        network: box.dataset.network || null,
      });
      // A newer keystroke has its own check on the way.
      if (asked.get(box) !== mine || box.value !== text) return;
      drawMirror(box, text, report.findings);
      if (out) drawResult(out, report);
    } catch (err) {
      if (out) out.textContent = `The check failed: ${err.message}`;
    }
  }

  document.addEventListener('input', (event) => {
    const box = event.target.closest && event.target.closest('textarea[data-check]');
    if (!box) return;
    drawMirror(box, box.value, []);
    clearTimeout(pending.get(box));
    pending.set(box, setTimeout(() => check(box), 200));
  });
  document.addEventListener(
    'scroll',
    (event) => {
      const box = event.target;
      if (box instanceof HTMLTextAreaElement && box.dataset.check) {
        const mirror = box.parentElement.querySelector('.mirror');
        if (mirror) mirror.scrollTop = box.scrollTop;
      }
    },
    true,
  );

  // ── Send: only on an explicit click, and a flagged draft only on a second one ─────────────
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-send]');
    if (!button) return;
    const card = button.closest('[data-action-id]');
    const box = document.getElementById(button.dataset.send);
    const text = box ? box.value : '';
    if (!text.trim()) {
      showError(card, new Error('Write your message first.'));
      return;
    }
    // "Send anyway" holds only for the text the checker flagged; an edit asks again.
    const anyway = button.dataset.anyway === text;
    button.disabled = true;
    try {
      const sent = await send('/api/send', { action: card.dataset.actionId, text, anyway });
      say(`Sent on ${sent.network} from ${sent.from}: ${sent.text}`);
      const item = card.closest('li') || card;
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      const link = next && next.querySelector('h2 a');
      if (link) link.focus();
    } catch (err) {
      showError(card, err);
      if (/anyway/.test(err.message)) {
        button.dataset.anyway = text;
        button.textContent = 'Send anyway';
      }
      button.disabled = false;
    }
  });

  // ── Merge and split ────────────────────────────────────────────────────────────────────────
  const personResult = () => document.querySelector('.form-result') || document.querySelector('main');

  async function merge(accounts) {
    const answer = await send('/api/person/merge', { accounts });
    say('Merged.');
    location.assign(`/person/${encodeURIComponent(answer.key)}`);
  }

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-split], button[data-merge-a]');
    if (!button) return;
    button.disabled = true;
    try {
      if (button.dataset.split) {
        await send('/api/person/split', { account: button.dataset.split });
        say('Split off.');
        location.reload();
      } else {
        await merge([button.dataset.mergeA, button.dataset.mergeB]);
      }
    } catch (err) {
      personResult().textContent = err.message;
      button.disabled = false;
    }
  });

  document.addEventListener('submit', async (event) => {
    const form = event.target.closest('form.merge');
    if (!form) return;
    event.preventDefault();
    const other = form.querySelector('input[name="other"]').value.trim();
    try {
      await merge([form.dataset.mergeInto, other]);
    } catch (err) {
      personResult().textContent = err.message;
    }
  });

  // ── Import ─────────────────────────────────────────────────────────────────────────────────
  const importForm = document.getElementById('import-form');
  if (importForm) {
    const input = document.getElementById('import-file');
    const progress = document.getElementById('import-progress');
    const bar = document.getElementById('import-bar');
    const state = document.getElementById('import-state');
    const summary = document.getElementById('import-summary');

    const fileSummary = (f) => {
      const block = element('div', 'card');
      block.append(
        element('h2', null, `${f.name} (${f.format})`),
        element('p', null, `read ${f.read}, new ${f.new}, already known ${f.known}, skipped ${f.skipped}`),
      );
      if (f.skipped_records.length) {
        const list = element('ul', 'examples');
        for (const s of f.skipped_records) list.append(element('li', null, `skipped ${s.file}, ${s.location}: ${s.reason}`));
        block.append(list);
      }
      return block;
    };

    const follow = async (id, tries = 0) => {
      // Bounded: an import that takes longer than an hour is followed from the summary page later.
      if (tries > 12000) return;
      const response = await fetch(`/api/import/${id}`);
      const job = await response.json();
      if (!response.ok) throw new Error(job.message);
      const share = job.bytes_total ? job.bytes_done / job.bytes_total : 0;
      bar.value = 50 + 50 * share;
      if (job.state === 'done') {
        bar.value = 100;
        state.textContent = `Imported ${job.name}.`;
        summary.replaceChildren(...job.files.map(fileSummary));
        say('Import finished.');
        return;
      }
      if (job.state === 'failed') {
        state.textContent = '';
        summary.replaceChildren(element('p', 'error', job.error));
        summary.firstChild.setAttribute('role', 'alert');
        return;
      }
      state.textContent = `${job.state} ${Math.round(share * 100)}%`;
      setTimeout(() => follow(id, tries + 1).catch(fail), 300);
    };

    const fail = (err) => {
      state.textContent = '';
      const p = element('p', 'error', err.message);
      p.setAttribute('role', 'alert');
      summary.replaceChildren(p);
    };

    const upload = (file) => {
      progress.hidden = false;
      summary.replaceChildren();
      bar.value = 0;
      state.textContent = `Uploading ${file.name}…`;
      const request = new XMLHttpRequest();
      request.open('POST', `/api/import?name=${encodeURIComponent(file.name)}`);
      request.setRequestHeader('x-csrf-token', csrf);
      request.upload.onprogress = (e) => {
        if (e.lengthComputable) bar.value = (50 * e.loaded) / e.total;
      };
      request.onerror = () => fail(new Error('the upload failed; is the server still running?'));
      request.onload = () => {
        let job = null;
        try {
          job = JSON.parse(request.responseText);
        } catch (_) {
          // Handled below.
        }
        if (request.status !== 202 || !job) {
          fail(new Error((job && job.message) || `upload refused (${request.status})`));
          return;
        }
        state.textContent = 'Importing…';
        follow(job.id).catch(fail);
      };
      request.send(file);
    };

    importForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.files.length) upload(input.files[0]);
    });
    importForm.addEventListener('dragover', (event) => {
      event.preventDefault();
      importForm.classList.add('over');
    });
    importForm.addEventListener('dragleave', () => importForm.classList.remove('over'));
    importForm.addEventListener('drop', (event) => {
      event.preventDefault();
      importForm.classList.remove('over');
      if (event.dataTransfer.files.length) upload(event.dataTransfer.files[0]);
    });
  }

  // ── Live updates ───────────────────────────────────────────────────────────────────────────
  async function refresh() {
    const main = document.querySelector('main');
    if (!main) return;
    if (main.dataset.page === '/map') {
      document.dispatchEvent(new CustomEvent('rapport:changed'));
      return;
    }
    if (main.dataset.page === '/import') return;
    // Never throw away what someone is typing.
    const typing = [...main.querySelectorAll('textarea, input[type="text"]')].some((el) => el.value.trim());
    if (typing) {
      say('The data changed; reload the page to see it.');
      return;
    }
    const response = await fetch(location.href, { headers: { accept: 'text/html' } });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.querySelector('main');
    if (fresh) {
      // Whoever works with the keyboard keeps their place: the same action's person, or the same
      // element by id, has the focus in the new content.
      const active = document.activeElement;
      const card = main.contains(active) && active.closest('[data-action-id]');
      const again = card
        ? `[data-action-id="${CSS.escape(card.dataset.actionId)}"] h2 a`
        : main.contains(active) && active.id
          ? `#${CSS.escape(active.id)}`
          : null;
      main.replaceWith(document.adoptNode(fresh));
      const target = again && fresh.querySelector(again);
      if (target) target.focus();
      say('Updated with the latest data.');
    }
  }

  if (window.EventSource && document.querySelector('main[data-page]')) {
    const events = new EventSource('/api/events');
    const changed = () => refresh().catch(() => {});
    events.addEventListener('data', changed);
    events.addEventListener('actions', changed);
    events.addEventListener('bye', () => events.close());
    window.addEventListener('pagehide', () => events.close());
  }
})();
