import { diffWords } from 'diff';
import type { TextChange, WordPart } from './types';

/**
 * Canonical form of a Markdown text for comparison: re-wrapping a paragraph or changing
 * indentation is not a change, while paragraph breaks and list items are kept.
 */
export function normaliseText(text: string | undefined): string {
  if (!text) return '';
  const out: string[] = [];
  let para = '';
  const flush = () => {
    if (para) out.push(para);
    para = '';
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/[ \t]+/g, ' ');
    if (!line) {
      flush();
      continue;
    }
    // A list item, heading, table row or quote starts its own line.
    if (/^([-*+] |\d+[.)] |#|\||>)/.test(line) && para) para += `\n${line}`;
    else para = para ? `${para} ${line}` : line;
  }
  flush();
  return out.join('\n\n');
}

const countWords = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Word diff of two texts, or undefined when they say the same (after normalising). */
export function diffText(
  oldText: string | undefined,
  newText: string | undefined,
): TextChange | undefined {
  const a = normaliseText(oldText);
  const b = normaliseText(newText);
  if (a === b) return undefined;
  const words: WordPart[] = [];
  // Group changes joined only by punctuation ("AES-256-GCM" → "ChaCha20-Poly1305") into one
  // removed and one added run, as a reader would describe the edit.
  let del = '';
  let ins = '';
  let glue = '';
  const push = (op: WordPart['op'], text: string) => {
    if (!text) return;
    const last = words[words.length - 1];
    if (last && last.op === op) last.text += text;
    else words.push({ op, text });
  };
  const flush = () => {
    push('-', del);
    push('+', ins);
    del = ins = '';
  };
  for (const c of diffWords(a, b)) {
    if (c.added || c.removed) {
      if (glue) {
        del += glue;
        ins += glue;
        glue = '';
      }
      if (c.added) ins += c.value;
      else del += c.value;
    } else if ((del || ins) && !glue && c.value.length <= 2 && !/\s/.test(c.value)) {
      glue = c.value;
    } else {
      flush();
      push('=', glue + c.value);
      glue = '';
    }
  }
  flush();
  push('=', glue);
  const added = words.filter((w) => w.op === '+').reduce((n, w) => n + countWords(w.text), 0);
  const removed = words.filter((w) => w.op === '-').reduce((n, w) => n + countWords(w.text), 0);
  return { old: a, new: b, words, added, removed };
}

export interface Hunk {
  parts: WordPart[];
  /** Whether text was left out before / after this hunk. */
  before: boolean;
  after: boolean;
}

/**
 * The changed stretches of a word diff with `context` words either side; long unchanged runs
 * are cut so a one-word edit in a 150-word statement shows as one short line.
 */
export function hunks(words: WordPart[], context = 6): Hunk[] {
  // One token per unchanged word (with its leading space); a changed run stays whole.
  const toks: WordPart[] = [];
  for (const w of words) {
    const text = w.text.replace(/\s+/g, ' ');
    if (w.op !== '=') toks.push({ op: w.op, text });
    else {
      for (const t of text.split(/(?<=\S)(?=\s)/)) {
        const last = toks[toks.length - 1];
        // Whitespace alone is not a word of context: it joins the word before it.
        if (!t.trim() && last?.op === '=') last.text += t;
        else if (t) toks.push({ op: '=', text: t });
      }
    }
  }
  const keep = toks.map(() => false);
  toks.forEach((t, i) => {
    if (t.op === '=') return;
    for (let j = Math.max(0, i - context); j <= Math.min(toks.length - 1, i + context); j++) {
      keep[j] = true;
    }
  });
  const out: Hunk[] = [];
  let i = 0;
  while (i < toks.length) {
    if (!keep[i]) {
      i++;
      continue;
    }
    const start = i;
    const parts: WordPart[] = [];
    for (; i < toks.length && keep[i]; i++) {
      const last = parts[parts.length - 1];
      if (last && last.op === toks[i].op) last.text += toks[i].text;
      else parts.push({ ...toks[i] });
    }
    if (parts[0]?.op === '=') parts[0].text = parts[0].text.replace(/^\s+/, '');
    const end = parts[parts.length - 1];
    if (end?.op === '=') end.text = end.text.replace(/\s+$/, '');
    out.push({ parts, before: start > 0, after: i < toks.length });
  }
  return out;
}
