// mend in a browser. Everything the conversation shows is set as text, never
// as HTML (the notes are HTML the server rendered with raw HTML escaped). The
// token lives in the link's fragment (#k=...), which browsers never send to
// a server, and goes to the API in a header.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  let token = readToken();
  let entries = [];
  let rendered = 0;
  let current = null; // the latest view of the sitting
  let stream = null; // the AbortController of the live updates
  let linksShown = false;
  let lastFocusTurn = -1;

  function readToken() {
    const params = new URLSearchParams(location.hash.slice(1));
    return params.get('k');
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function problem(text) {
    const p = $('problem');
    p.textContent = text || '';
    p.hidden = !text;
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign(
        { Authorization: 'Bearer ' + token },
        body ? { 'Content-Type': 'application/json' } : {}
      ),
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    const type = response.headers.get('content-type') || '';
    const data = type.startsWith('application/json') ? await response.json() : null;
    if (!response.ok) {
      const error = new Error((data && data.error) || 'The server said no (' + response.status + ').');
      error.status = response.status;
      throw error;
    }
    return data;
  }

  async function start() {
    problem('');
    if (stream) stream.abort();
    entries = [];
    rendered = 0;
    current = null;
    linksShown = false;
    $('log').replaceChildren();
    if (!token) {
      $('home').hidden = true;
      $('sitting').hidden = true;
      problem('This page opens from the link that `mend serve` printed (or a join link). Open that link.');
      return;
    }
    try {
      const view = await api('GET', '/api/state');
      if (view.kind === 'server') showHome(view);
      else {
        $('home').hidden = true;
        $('sitting').hidden = false;
        apply(view);
        follow();
      }
    } catch (error) {
      problem(error.message);
    }
  }

  // ---- the server's page: start or resume a sitting ----

  function showHome(view) {
    $('home').hidden = false;
    $('sitting').hidden = true;
    $('break-bar').hidden = true;
    $('who').textContent = '';
    $('home-safety').textContent = view.safety;
    const list = $('paused');
    list.replaceChildren();
    for (const session of view.paused) {
      const label = session.partners.join(' and ') + ': ' + session.exercise +
        (session.saved ? ' (saved ' + session.saved + ')' : '');
      list.append(el('li', {}, el('button', {
        type: 'button',
        text: 'Resume ' + label,
        onclick: () => open({ resume: session.id }),
      })));
    }
    $('paused-section').hidden = view.paused.length === 0;
    $('name-a').focus();
  }

  async function open(request) {
    problem('');
    try {
      const opened = await api('POST', '/api/sittings', request);
      location.hash = 'k=' + opened.token; // reloading returns to the sitting
    } catch (error) {
      problem(error.message);
    }
  }

  $('start-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const a = $('name-a').value.trim();
    const b = $('name-b').value.trim();
    if (!a || !b) {
      problem('Please give both names.');
      (a ? $('name-b') : $('name-a')).focus();
      return;
    }
    open({ partners: [a, b] });
  });

  // ---- live updates (server-sent events over fetch, so the token stays in a header) ----

  async function follow() {
    const controller = new AbortController();
    stream = controller;
    let delay = 500;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch('/api/events', {
          headers: { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' },
          cache: 'no-store',
          credentials: 'omit',
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error('no stream');
        delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
            if (data) apply(JSON.parse(data));
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
      }
      // The connection dropped (a sleeping phone, a restarted server): try again gently.
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
      if (!controller.signal.aborted) {
        try {
          apply(await api('GET', '/api/state'));
        } catch (error) {
          problem(error.message);
          if (error.status === 401) return;
        }
      }
    }
  }

  // ---- the sitting ----

  function apply(view) {
    if (!view || view.kind !== 'sitting') return;
    if (view.since > entries.length) {
      api('GET', '/api/state').then(apply, (e) => problem(e.message));
      return;
    }
    if (current && view.version < current.version) return; // an older view arrived late
    entries = entries.slice(0, view.since).concat(view.entries);
    current = view;
    render();
  }

  function partnerName(i) {
    return current.partners[i];
  }

  function canAnswer(waiting) {
    const you = current.you;
    if (you.role === 'host') return true;
    if (you.role !== 'partner') return false;
    if (waiting.kind === 'answer') return waiting.partner === you.partner;
    return ['ask', 'pick', 'paused'].includes(waiting.kind);
  }

  function render() {
    const you = current.you;
    const names = current.partners.join(' and ');
    $('who').textContent = you.role === 'partner'
      ? 'You are ' + partnerName(you.partner) + ' · with ' + partnerName(1 - you.partner)
      : you.role === 'therapist' ? 'Reading along with ' + names + ' (read-only)' : names;
    renderLog();
    renderWaiting();
    hideRepeatedQuestion();
    renderNotes();
    if (you.role === 'host' && !linksShown) showLinks();
  }

  function renderLog() {
    const log = $('log');
    if (rendered > entries.length) {
      log.replaceChildren();
      rendered = 0;
    }
    for (; rendered < entries.length; rendered++) log.append(entryNode(entries[rendered]));
  }

  // The question waiting on this device is shown once, above its answer
  // box, not also as the last line of the conversation.
  function hideRepeatedQuestion() {
    for (const li of document.querySelectorAll('#log .asked-below')) li.classList.remove('asked-below');
    const waiting = current.waiting;
    const last = $('log').lastElementChild;
    const entry = entries[entries.length - 1];
    if (!last || !entry || !canAnswer(waiting)) return;
    const repeated = (waiting.kind === 'answer' && entry.kind === 'question') ||
      (waiting.kind === 'ask' && entry.kind === 'say' && entry.text === waiting.question);
    if (repeated) last.classList.add('asked-below');
  }

  function entryNode(entry) {
    switch (entry.kind) {
      case 'heading': return el('li', { class: 'heading' }, el('h2', { text: entry.text }));
      case 'say': return el('li', { class: 'say', text: entry.text });
      case 'info': return el('li', { class: 'info', text: entry.text });
      case 'hint': return el('li', { class: 'hint', text: entry.text });
      case 'handoff': return el('li', { class: 'handoff', text: 'Over to ' + entry.name });
      case 'question':
        return el('li', { class: 'question' },
          el('p', { class: 'who-line' }, entry.name + (entry.role ? ' (' + entry.role + ')' : '') + ' ', el('span', { class: 'where', text: '· ' + entry.progress })),
          el('p', { text: entry.text }),
          entry.example ? el('p', { class: 'example', text: 'For example: ' + entry.example }) : null);
      case 'answer':
        return el('li', { class: 'answer' },
          entry.name ? el('span', { class: 'name', text: entry.name + ': ' }) : null,
          entry.text);
      default: return el('li', { text: entry.text || '' });
    }
  }

  function send(path, body) {
    problem('');
    for (const b of document.querySelectorAll('#act button, #tools button, #break')) b.disabled = true;
    return api('POST', path, Object.assign({ turn: current.turn, since: entries.length }, body))
      .then(apply, (error) => {
        problem(error.message);
        return api('GET', '/api/state').then(apply);
      })
      .finally(() => {
        for (const b of document.querySelectorAll('#act button, #tools button, #break')) b.disabled = false;
      });
  }

  function renderWaiting() {
    const waiting = current.waiting;
    const act = $('act');
    const banner = $('banner');
    const mine = canAnswer(waiting);
    const readOnly = current.you.role === 'therapist';
    const inExercise = waiting.kind === 'answer';
    $('tools').hidden = !(inExercise && mine);
    $('skip').hidden = !(inExercise && waiting.optional);
    $('break-bar').hidden = readOnly || !inExercise;
    // Redraw the answer area only when the turn changes, so typing is never lost.
    if (act.dataset.turn === String(current.turn) && act.dataset.mine === String(mine)) return;
    act.dataset.turn = String(current.turn);
    act.dataset.mine = String(mine);
    act.replaceChildren();
    let focus = null;
    switch (waiting.kind) {
      case 'busy':
        banner.textContent = 'One moment…';
        break;
      case 'answer': {
        const whose = waiting.name + "'s turn" + (waiting.role ? ' (' + waiting.role + ')' : '') + ' · ' + waiting.progress;
        banner.textContent = mine && current.you.role === 'partner' ? 'Your turn, ' + waiting.name + ' · ' + waiting.progress : whose;
        if (!mine) {
          act.append(el('p', { text: readOnly ? 'Waiting for ' + waiting.name + '.' : "It's " + waiting.name + "'s turn. Their answer will appear above when they send it." }));
          break;
        }
        act.append(el('p', { class: 'prompt', id: 'prompt', text: waiting.text }));
        if (waiting.example) act.append(el('p', { class: 'example', text: 'For example: ' + waiting.example }));
        if (waiting.choices.length) {
          const group = el('div', { class: 'choices', role: 'group', 'aria-labelledby': 'prompt' });
          for (const choice of waiting.choices) {
            group.append(el('button', { type: 'button', text: choice.label, onclick: () => send('/api/answer', { text: choice.key }) }));
          }
          act.append(group);
          focus = group.querySelector('button');
        } else {
          focus = answerBox(act, waiting.prefill, 'Your answer, ' + waiting.name);
        }
        break;
      }
      case 'ask': {
        banner.textContent = 'A question for you both';
        act.append(el('p', { class: 'prompt', id: 'prompt', text: waiting.question }));
        if (!mine) break;
        if (waiting.choices.length) {
          const group = el('div', { class: 'row', role: 'group', 'aria-labelledby': 'prompt' });
          for (const choice of waiting.choices) {
            group.append(el('button', { type: 'button', text: choice, onclick: () => send('/api/answer', { text: choice }) }));
          }
          act.append(group);
          focus = group.querySelector('button');
        } else {
          focus = answerBox(act, '', 'Your answer');
        }
        break;
      }
      case 'pick': {
        banner.textContent = 'Which exercise would you like to do?';
        if (!mine) {
          act.append(el('p', { text: 'The partners are choosing an exercise.' }));
          break;
        }
        const list = el('div', { role: 'list', 'aria-label': 'Exercises' });
        for (const offer of waiting.exercises) {
          list.append(el('div', { class: 'offer', role: 'listitem' },
            el('button', { type: 'button', class: offer.suggested ? 'primary' : null, text: offer.title + ' · about ' + offer.minutes + ' minutes', onclick: () => send('/api/pick', { exercise: offer.id }) }),
            offer.suggested ? el('p', { class: 'suggested', text: 'Suggested now: ' + offer.suggested }) : null,
            el('p', { text: offer.summary })));
        }
        act.append(list);
        act.append(el('div', { class: 'row' }, el('button', { type: 'button', class: 'quiet', text: 'End the sitting', onclick: () => send('/api/pick', { exercise: null }) })));
        focus = list.querySelector('button');
        break;
      }
      case 'paused':
        banner.textContent = 'You are taking a break';
        act.append(el('p', { text: 'Everything you both said is saved. Come back when you are both ready, within a day.' }));
        if (mine) {
          const row = el('div', { class: 'row' },
            el('button', { type: 'button', class: 'primary', text: 'Resume', onclick: () => send('/api/resume', {}) }),
            el('button', { type: 'button', class: 'quiet', text: 'End the sitting for now', onclick: () => send('/api/stop', {}) }));
          act.append(row);
          focus = row.querySelector('button');
        }
        break;
      case 'ended':
        banner.textContent = 'The sitting has ended';
        act.append(el('p', { text: current.session ? 'Everything is saved as session ' + current.session + '.' : 'Everything is saved.' }));
        if (stream) stream.abort();
        break;
    }
    // Screen readers hear each new question once, with whose turn it is.
    const spoken = waiting.kind === 'answer' ? banner.textContent + '. ' + waiting.text
      : waiting.kind === 'ask' ? waiting.question : banner.textContent;
    $('announce').textContent = spoken;
    if (focus && lastFocusTurn !== current.turn) {
      lastFocusTurn = current.turn;
      focus.focus({ preventScroll: true });
      act.scrollIntoView({ block: 'nearest' });
    }
  }

  function answerBox(act, prefill, label) {
    const form = el('form', { class: 'answer-form' });
    const box = el('textarea', { id: 'answer', name: 'answer', 'aria-label': label, maxlength: '16000', autocomplete: 'off', spellcheck: 'true' });
    box.value = prefill || '';
    // The terminal's :private: saved, so the exercise can use it, but kept
    // out of the session notes.
    const keep = el('input', { type: 'checkbox', id: 'private', name: 'private' });
    form.append(box,
      el('p', { class: 'info', text: 'Enter sends; Shift+Enter starts a new line.' }),
      el('label', { class: 'private', for: 'private' }, keep, ' Keep this answer out of the notes'),
      el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary', text: 'Send' })));
    const submit = () => {
      const text = box.value;
      if (!text.trim()) {
        problem('Type an answer first (or use the buttons below).');
        box.focus();
        return;
      }
      send('/api/answer', { text, private: keep.checked });
    };
    form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    act.append(form);
    return box;
  }

  function renderNotes() {
    const ended = current.waiting.kind === 'ended';
    const notes = $('notes');
    if (!ended || !current.notes_html) {
      notes.hidden = true;
      return;
    }
    if (!notes.hidden) return;
    notes.hidden = false;
    // Rendered by the server from Markdown with raw HTML escaped, links and
    // images reduced to their words.
    $('notes-body').innerHTML = current.notes_html;
  }

  async function showLinks() {
    linksShown = true;
    try {
      const links = await api('GET', '/api/links');
      const list = $('link-list');
      list.replaceChildren();
      for (const link of links) {
        const field = el('input', { type: 'text', readonly: true, value: link.url, 'aria-label': 'Link for ' + link.who });
        const copy = el('button', { type: 'button', text: 'Copy', onclick: () => {
          field.select();
          if (navigator.clipboard) navigator.clipboard.writeText(link.url).catch(() => {});
        } });
        const box = el('div', { class: 'link' }, el('h3', { text: link.who }), field, el('div', { class: 'row' }, copy));
        if (link.qr_svg) {
          const svg = new DOMParser().parseFromString(link.qr_svg, 'image/svg+xml').documentElement;
          if (svg && svg.nodeName === 'svg') {
            svg.setAttribute('role', 'img');
            svg.setAttribute('aria-label', 'QR code of the link for ' + link.who);
            box.append(el('div', { class: 'qr' }, document.importNode(svg, true)));
          }
        }
        list.append(box);
      }
      $('links').hidden = false;
    } catch (error) {
      linksShown = false;
    }
  }

  $('break').addEventListener('click', () => send('/api/command', { command: 'break' }));
  $('back').addEventListener('click', () => send('/api/command', { command: 'back' }));
  $('where').addEventListener('click', () => send('/api/command', { command: 'where' }));
  $('skip').addEventListener('click', () => send('/api/command', { command: 'skip' }));
  $('print').addEventListener('click', () => window.print());
  $('download').addEventListener('click', async () => {
    try {
      const response = await fetch('/api/notes.md', { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store', credentials: 'omit' });
      if (!response.ok) throw new Error('The notes are not ready yet.');
      const blob = await response.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: 'mend-notes-' + (current.session || 'session') + '.md' });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (error) {
      problem(error.message);
    }
  });
  window.addEventListener('hashchange', () => {
    token = readToken();
    start();
  });
  start();
})();
