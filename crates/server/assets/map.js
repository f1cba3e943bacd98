// The relationship map: draws /api/map (laid out by the server once per change of the data) on a
// canvas. The rings, sectors and nodes are drawn once into an off-screen layer, batched by colour,
// so hovering only copies that layer and rings one node: smooth with thousands of people. The
// table under the map lists the same people for screen readers and keyboards.
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
  let nodes = [];
  let grid = new Map();
  let hovered = null;
  let side = 0;
  const CELL = 24;

  const visible = () => new Set(stageBoxes.filter((b) => b.checked).map((b) => b.value));
  const colourOf = (p) => COLOURS[colourBy.value][colourBy.value === 'stage' ? p.stage : p.trend] || '#888';

  /** Node radius in CSS pixels: area grows with strength; smaller when the map is crowded. */
  function radius(p, count) {
    const scale = count > 2000 ? 0.55 : count > 500 ? 0.75 : 1;
    return (2 + 9 * Math.sqrt(Math.max(0, p.strength))) * scale * (side / 720);
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
    // Nodes, one path per colour.
    const show = visible();
    nodes = data.people.filter((p) => show.has(p.stage));
    const byColour = new Map();
    grid = new Map();
    for (const p of nodes) {
      p.px = centre + p.x * reach;
      p.py = centre + p.y * reach;
      p.r = radius(p, nodes.length);
      const colour = colourOf(p);
      if (!byColour.has(colour)) byColour.set(colour, []);
      byColour.get(colour).push(p);
      const key = `${Math.floor(p.px / CELL)},${Math.floor(p.py / CELL)}`;
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(p);
    }
    ctx.globalAlpha = 0.85;
    for (const [colour, list] of byColour) {
      ctx.beginPath();
      for (const p of list) {
        ctx.moveTo(p.px + p.r, p.py);
        ctx.arc(p.px, p.py, p.r, 0, 2 * Math.PI);
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
    if (hovered) {
      const ratio = window.devicePixelRatio || 1;
      ctx.scale(ratio, ratio);
      ctx.beginPath();
      ctx.arc(hovered.px, hovered.py, hovered.r + 3, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#1f2328';
      ctx.stroke();
    }
  }

  /** The node under a point, from the grid cells around it. */
  function nodeAt(x, y) {
    let best = null;
    let bestDistance = Infinity;
    const cx = Math.floor(x / CELL);
    const cy = Math.floor(y / CELL);
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const p of grid.get(`${cx + dx},${cy + dy}`) || []) {
          const d = Math.hypot(p.px - x, p.py - y);
          if (d <= p.r + 4 && d < bestDistance) {
            best = p;
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
    canvas.style.cursor = found ? 'pointer' : 'default';
    if (!found) {
      tip.hidden = true;
      return;
    }
    tip.replaceChildren(
      Object.assign(document.createElement('strong'), { textContent: found.name }),
      document.createElement('br'),
      document.createTextNode(`${found.stage}, ${found.trend}, strength ${found.strength.toFixed(2)}`),
      document.createElement('br'),
      document.createTextNode(data.groups[found.group] ? data.groups[found.group].name : ''),
    );
    tip.hidden = false;
    tip.style.left = `${Math.min(found.px + 12, side - 180)}px`;
    tip.style.top = `${found.py + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    hovered = null;
    tip.hidden = true;
    paint();
  });
  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    const found = nodeAt(event.clientX - box.left, event.clientY - box.top);
    if (found) location.assign(`/person/${encodeURIComponent(found.key)}`);
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

  function fillTable() {
    const show = visible();
    const rows = document.createDocumentFragment();
    for (const p of data.people) {
      if (!show.has(p.stage)) continue;
      const row = document.createElement('tr');
      const name = document.createElement('th');
      name.scope = 'row';
      const link = document.createElement('a');
      link.href = `/person/${encodeURIComponent(p.key)}`;
      link.textContent = p.name;
      name.append(link);
      const cells = [p.stage, p.strength.toFixed(2), p.trend, data.groups[p.group] ? data.groups[p.group].name : ''];
      row.append(name, ...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
      rows.append(row);
    }
    tbody.replaceChildren(rows);
  }

  async function load() {
    const started = performance.now();
    const response = await fetch('/api/map');
    const answer = await response.json();
    if (!response.ok) {
      status.textContent = answer.message || 'The map could not be loaded.';
      return;
    }
    data = answer;
    drawLayer();
    fillLegend();
    status.textContent = `${data.people.length} people, as of ${data.as_of.slice(0, 10)}.`;
    canvas.dataset.nodes = String(nodes.length);
    canvas.dataset.drawMs = String(Math.round(performance.now() - started));
    // The map shows first; the table of thousands of rows fills in right after.
    setTimeout(() => {
      fillTable();
      canvas.dataset.table = String(tbody.rows.length);
    }, 0);
  }

  colourBy.addEventListener('change', () => {
    drawLayer();
    fillLegend();
  });
  for (const box of stageBoxes) {
    box.addEventListener('change', () => {
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
