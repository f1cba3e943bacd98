// The relationship map: draws /api/map (laid out by the server once per change of the data, sent as
// columns of small numbers) on a canvas. The rings, sectors and nodes are drawn once into an
// off-screen layer, one path per colour, so hovering only copies that layer and rings one node:
// smooth with thousands of people. The table under the map lists the same people for screen
// readers and keyboards; it is filled in slices after the map is drawn, so the map shows first.
'use strict';

(() => {
  const canvas = document.getElementById('map');
  if (!canvas) return;
  const tip = document.getElementById('map-tip');
  const status = document.getElementById('map-status');
  const legend = document.getElementById('map-legend');
  const tbody = document.querySelector('#map-table tbody');
  const colourBy = document.getElementById('map-colour');
  const stageBoxes = [...document.querySelectorAll('.map-controls input[name="stage"]')];

  const COLOURS = {
    stage: { close: '#0f7b55', mutual: '#2f78c4', engaged: '#7a55c9', aware: '#d08a18', stranger: '#9aa0a6' },
    trend: { warming: '#1f9d4a', steady: '#8a939c', cooling: '#d0392b' },
  };

  let data = null;
  let layer = null;
  // The people drawn (indexes into data.people's columns), and where each is in CSS pixels.
  let nodes = [];
  let px = new Float32Array(0);
  let py = new Float32Array(0);
  let pr = new Float32Array(0);
  let grid = new Map();
  let hovered = -1;
  let side = 0;
  const CELL = 24;

  const person = (i) => {
    const p = data.people;
    return {
      key: p.key[i],
      name: p.name[i],
      stage: data.stages[p.stage[i]],
      trend: data.trends[p.trend[i]],
      strength: p.strength[i] / 1000,
      group: data.groups[p.group[i]] ? data.groups[p.group[i]].name : '',
    };
  };
  const visibleStages = () => {
    const show = new Set(stageBoxes.filter((b) => b.checked).map((b) => b.value));
    return data.stages.map((s) => show.has(s));
  };
  const colourOf = (i) => {
    const by = colourBy.value;
    const name = by === 'stage' ? data.stages[data.people.stage[i]] : data.trends[data.people.trend[i]];
    return COLOURS[by][name] || '#888';
  };

  /** Node radius in CSS pixels: area grows with strength; smaller when the map is crowded. */
  function radius(strength, count) {
    const scale = count > 2000 ? 0.55 : count > 500 ? 0.75 : 1;
    return (2 + 9 * Math.sqrt(Math.max(0, strength))) * scale * (side / 720);
  }

  function drawLayer() {
    const ratio = window.devicePixelRatio || 1;
    side = Math.max(240, Math.min(canvas.parentElement.clientWidth, 820));
    canvas.width = Math.round(side * ratio);
    canvas.height = Math.round(side * ratio);
    canvas.style.width = `${side}px`;
    canvas.style.height = `${side}px`;
    layer = document.createElement('canvas');
    layer.width = canvas.width;
    layer.height = canvas.height;
    const ctx = layer.getContext('2d');
    ctx.scale(ratio, ratio);
    const centre = side / 2;
    const reach = side / 2 - 8;

    // Groups as sectors, shaded in turn, named at the rim.
    data.groups.forEach((g, i) => {
      if (g.end - g.start < 0.001) return;
      ctx.beginPath();
      ctx.moveTo(centre, centre);
      ctx.arc(centre, centre, reach, g.start - Math.PI / 2, g.end - Math.PI / 2);
      ctx.closePath();
      ctx.fillStyle = i % 2 ? '#f4f6f8' : '#eaeef2';
      ctx.fill();
    });
    // Rings by stage.
    ctx.strokeStyle = '#c9d1d9';
    ctx.lineWidth = 1;
    for (const ring of data.rings) {
      ctx.beginPath();
      ctx.arc(centre, centre, ring.outer * reach, 0, 2 * Math.PI);
      ctx.stroke();
    }
    // Nodes, one path per colour, straight from the columns.
    const show = visibleStages();
    const cols = data.people;
    nodes = [];
    for (let i = 0; i < data.count; i += 1) if (show[cols.stage[i]]) nodes.push(i);
    px = new Float32Array(data.count);
    py = new Float32Array(data.count);
    pr = new Float32Array(data.count);
    const byColour = new Map();
    grid = new Map();
    const scale = reach / 10000;
    for (const i of nodes) {
      px[i] = centre + cols.x[i] * scale;
      py[i] = centre + cols.y[i] * scale;
      pr[i] = radius(cols.strength[i] / 1000, nodes.length);
      const colour = colourOf(i);
      if (!byColour.has(colour)) byColour.set(colour, []);
      byColour.get(colour).push(i);
      const key = Math.floor(px[i] / CELL) * 4096 + Math.floor(py[i] / CELL);
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(i);
    }
    ctx.globalAlpha = 0.85;
    for (const [colour, list] of byColour) {
      ctx.beginPath();
      for (const i of list) {
        ctx.moveTo(px[i] + pr[i], py[i]);
        ctx.arc(px[i], py[i], pr[i], 0, 2 * Math.PI);
      }
      ctx.fillStyle = colour;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // Group names (their first two terms) near the rim, where there is room, kept inside the map.
    ctx.font = `${Math.max(10, side / 70)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const g of data.groups) {
      if (g.end - g.start < 0.35) continue;
      const label = g.name.split(' · ').slice(0, 2).join(' · ');
      const width = ctx.measureText(label).width;
      const mid = (g.start + g.end) / 2 - Math.PI / 2;
      const at = reach * 0.9;
      const x = Math.min(Math.max(centre + Math.cos(mid) * at, width / 2 + 6), side - width / 2 - 6);
      const y = Math.min(Math.max(centre + Math.sin(mid) * at, 14), side - 14);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.8)';
      ctx.fillRect(x - width / 2 - 3, y - 9, width + 6, 18);
      ctx.fillStyle = '#3d4752';
      ctx.fillText(label, x, y);
    }
    // You, at the centre.
    ctx.beginPath();
    // Wide enough for its label on a phone too.
    ctx.arc(centre, centre, Math.max(14, side / 70 + 4), 0, 2 * Math.PI);
    ctx.fillStyle = '#1f2328';
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.font = `bold ${Math.max(9, side / 80)}px system-ui, sans-serif`;
    ctx.fillText('you', centre, centre);
    paint();
  }

  function paint() {
    const ctx = canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(layer, 0, 0);
    if (hovered >= 0) {
      const ratio = window.devicePixelRatio || 1;
      ctx.scale(ratio, ratio);
      ctx.beginPath();
      ctx.arc(px[hovered], py[hovered], pr[hovered] + 3, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#1f2328';
      ctx.stroke();
    }
  }

  /** The node under a point (its index, or -1), from the grid cells around it. */
  function nodeAt(x, y) {
    let best = -1;
    let bestDistance = Infinity;
    const cx = Math.floor(x / CELL);
    const cy = Math.floor(y / CELL);
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const i of grid.get((cx + dx) * 4096 + cy + dy) || []) {
          const d = Math.hypot(px[i] - x, py[i] - y);
          if (d <= pr[i] + 4 && d < bestDistance) {
            best = i;
            bestDistance = d;
          }
        }
      }
    }
    return best;
  }

  canvas.addEventListener('mousemove', (event) => {
    const box = canvas.getBoundingClientRect();
    const found = nodeAt(event.clientX - box.left, event.clientY - box.top);
    if (found === hovered) return;
    hovered = found;
    paint();
    canvas.style.cursor = found >= 0 ? 'pointer' : 'default';
    if (found < 0) {
      tip.hidden = true;
      return;
    }
    const p = person(found);
    tip.replaceChildren(
      Object.assign(document.createElement('strong'), { textContent: p.name }),
      document.createElement('br'),
      document.createTextNode(`${p.stage}, ${p.trend}, strength ${p.strength.toFixed(2)}`),
      document.createElement('br'),
      document.createTextNode(p.group),
    );
    tip.hidden = false;
    tip.style.left = `${Math.min(px[found] + 12, side - 180)}px`;
    tip.style.top = `${py[found] + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    hovered = -1;
    tip.hidden = true;
    paint();
  });
  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    const found = nodeAt(event.clientX - box.left, event.clientY - box.top);
    if (found >= 0) location.assign(`/person/${encodeURIComponent(data.people.key[found])}${location.search}`);
  });

  function fillLegend() {
    const colours = COLOURS[colourBy.value];
    const items = Object.entries(colours).map(([name, colour]) => {
      const item = document.createElement('span');
      item.className = 'key';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colour;
      item.append(swatch, document.createTextNode(name));
      return item;
    });
    const size = document.createElement('span');
    size.className = 'key';
    size.textContent = 'larger = stronger; inner rings = closer';
    legend.replaceChildren(...items, size);
  }

  // Each fill of the table has a number: a newer one (a filter changed) stops an older one.
  let filling = 0;
  const SLICE = 250;
  // One slice per frame, after the frame is drawn: the map is on screen before the first row is
  // made, and thousands of rows never hold a frame back.
  const afterFrame = (f) => requestAnimationFrame(() => setTimeout(f, 0));

  /** Fills the table with the people drawn, a slice per frame, so the page stays responsive. */
  function fillTable() {
    const mine = (filling += 1);
    const list = nodes.slice();
    tbody.replaceChildren();
    delete canvas.dataset.table;
    const slice = (from) => {
      if (mine !== filling) return;
      const rows = document.createDocumentFragment();
      for (const i of list.slice(from, from + SLICE)) {
        const p = person(i);
        const row = document.createElement('tr');
        const name = document.createElement('th');
        name.scope = 'row';
        const link = document.createElement('a');
        link.href = `/person/${encodeURIComponent(p.key)}${location.search}`;
        link.textContent = p.name;
        name.append(link);
        const cells = [p.stage, p.strength.toFixed(2), p.trend, p.group];
        row.append(name, ...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
        rows.append(row);
      }
      tbody.append(rows);
      if (from + SLICE < list.length) afterFrame(() => slice(from + SLICE));
      else canvas.dataset.table = String(tbody.rows.length);
    };
    afterFrame(() => slice(0));
  }

  async function load() {
    const started = performance.now();
    // The map's page has no parameters of its own: its address's view (as=, as_of=) is the map's.
    const response = await fetch(`/api/map${location.search}`);
    const answer = await response.json();
    if (!response.ok) {
      status.textContent = answer.message || 'The map could not be loaded.';
      return;
    }
    data = answer;
    drawLayer();
    fillLegend();
    status.textContent = `${data.count} people, as of ${data.as_of.slice(0, 10)}.`;
    canvas.dataset.nodes = String(nodes.length);
    canvas.dataset.drawMs = String(Math.round(performance.now() - started));
    // The map shows first; the table of thousands of rows fills in after it.
    fillTable();
  }

  colourBy.addEventListener('change', () => {
    drawLayer();
    fillLegend();
  });
  for (const box of stageBoxes) {
    box.addEventListener('change', () => {
      hovered = -1;
      drawLayer();
      fillTable();
      canvas.dataset.nodes = String(nodes.length);
    });
  }
  let resizing = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => data && drawLayer(), 150);
  });
  document.addEventListener('rapport:changed', () => load().catch(() => {}));
  load().catch((err) => {
    status.textContent = `The map could not be loaded: ${err.message}`;
  });
})();
