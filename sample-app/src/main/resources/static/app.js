// The search page: calls GET /api/search and shows the ranked chunks with their scores. No build step.
'use strict';

const $ = (id) => document.getElementById(id);

async function loadStatus() {
  try {
    const response = await fetch('/api/info');
    const info = await response.json();
    $('status').textContent = `${info.documents} documents · ${info.chunks} chunks · model ${info.model}`
      + ` (${info.dimensions} dimensions)`;
    $('rerank').disabled = !info.rerank;
    $('hybrid').disabled = !info.hybrid;
  } catch (e) {
    $('status').textContent = 'The server does not answer.';
  }
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

function scoreLine(hit) {
  const parts = [`dense ${hit.denseScore.toFixed(3)}`];
  if (hit.rerankScore !== null && hit.rerankScore !== undefined) parts.push(`rerank ${hit.rerankScore.toFixed(3)}`);
  if (hit.sparseScore !== null && hit.sparseScore !== undefined) parts.push(`sparse ${hit.sparseScore.toFixed(3)}`);
  return parts.join(' · ');
}

// The chunk without its heading line (the title or section is shown above it), paragraphs kept, shortened.
function snippet(hit) {
  let lines = hit.text.split('\n');
  const first = lines[0].replace(/^#{1,6}\s+/, '').trim();
  if (first === hit.title || first === hit.section) lines = lines.slice(1);
  const text = lines.join('\n').trim().split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim()).join('\n\n');
  return text.length > 360 ? text.slice(0, 360).replace(/\s+\S*$/, '') + '…' : text;
}

function render(result) {
  const list = $('results');
  list.replaceChildren();
  for (const hit of result.results) {
    const item = document.createElement('li');
    item.className = 'hit';

    const head = document.createElement('div');
    head.className = 'hit-head';
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = hit.score.toFixed(3);
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = hit.title;
    const source = document.createElement('span');
    source.className = 'source';
    source.textContent = hit.section ? `${hit.source} › ${hit.section}` : hit.source;
    head.append(score, title, source);

    const bar = document.createElement('div');
    bar.className = 'bar';
    const fill = document.createElement('div');
    fill.style.width = `${Math.max(0, Math.min(1, hit.denseScore)) * 100}%`;
    bar.append(fill);

    const text = document.createElement('p');
    text.className = 'text';
    text.textContent = snippet(hit);

    const scores = document.createElement('p');
    scores.className = 'scores';
    scores.textContent = scoreLine(hit);

    item.append(head, bar, text, scores);
    list.append(item);
  }
  $('summary').textContent = `${result.results.length} results for “${result.query}” · ${result.mode}`
    + ` · ${result.tookMillis} ms`;
}

async function search(event) {
  event.preventDefault();
  $('error').hidden = true;
  const params = new URLSearchParams({ q: $('query').value, k: $('k').value });
  if ($('rerank').checked) params.set('rerank', 'true');
  if ($('hybrid').checked) params.set('hybrid', 'true');
  $('search-button').disabled = true;
  try {
    const response = await fetch(`/api/search?${params}`);
    const body = await response.json();
    if (!response.ok) {
      showError(body.detail || body.title || `HTTP ${response.status}`);
      return;
    }
    render(body);
  } catch (e) {
    showError(`Search failed: ${e.message}`);
  } finally {
    $('search-button').disabled = false;
  }
}

$('search-form').addEventListener('submit', search);
loadStatus();
