/**
 * What a PromQL expression refers to: the metric selectors (name and matched label names) and
 * the label lists of its grouping clauses (`by`, `without`, `on`, `ignoring`, `group_left`,
 * `group_right`), each with the metrics under it. The dashboard test checks both against the
 * metric catalogue.
 *
 * A recursive-descent reader of the PromQL grammar the dashboard uses (Prometheus
 * `promql/parser/generated_parser.y` is the reference): selectors, range and subquery brackets,
 * `offset` and `@`, function calls, aggregations with the clause before or after the arguments,
 * binary operators with `bool`, vector matching and grouping. It does not evaluate anything and
 * ignores operator precedence, which does not change what is referenced. Anything it does not
 * know throws, so an expression the check cannot read fails instead of passing unchecked.
 * Grafana's variables are accepted where they stand for a duration (`[$__rate_interval]`);
 * elsewhere they only appear inside label-matcher strings, which are not read.
 */

/** A metric selector: `name{label="value", ...}`. */
export interface SelectorReference {
  readonly metric: string;
  /** Label names of its matchers, in order. */
  readonly labels: readonly string[];
}

/** A grouping clause and the metrics of the expressions it groups. */
export interface GroupingReference {
  readonly clause: 'by' | 'without' | 'on' | 'ignoring' | 'group_left' | 'group_right';
  readonly labels: readonly string[];
  readonly metrics: readonly string[];
}

export interface PromqlReferences {
  readonly selectors: readonly SelectorReference[];
  readonly groupings: readonly GroupingReference[];
}

const AGGREGATIONS = new Set([
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio',
]);
const BINARY_KEYWORDS = new Set(['and', 'or', 'unless', 'atan2']);
const BINARY_SYMBOLS = new Set(['+', '-', '*', '/', '%', '^', '==', '!=', '<=', '>=', '<', '>']);
const MATCH_OPS = new Set(['=', '!=', '=~', '!~']);

type TokenKind = 'ident' | 'number' | 'string' | 'variable' | 'punct';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (/[A-Za-z_:]/.test(c)) {
      const m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(expr.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(c)) {
      // Numbers, and durations such as 5m or 1h30m.
      const m = /^(?:\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*|\d*\.?\d+(?:[eE][+-]?\d+)?)/.exec(expr.slice(i));
      if (m === null) throw new Error(`PromQL: bad number at ${i} in ${expr}`);
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === '\\' && c !== '`' ? 2 : 1;
      if (j >= expr.length) throw new Error(`PromQL: unterminated string at ${i} in ${expr}`);
      tokens.push({ kind: 'string', text: expr.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$(?:\{[A-Za-z0-9_]+\}|[A-Za-z0-9_]+)/.exec(expr.slice(i));
      if (m === null) throw new Error(`PromQL: bad variable at ${i} in ${expr}`);
      tokens.push({ kind: 'variable', text: m[0] });
      i += m[0].length;
    } else {
      const two = expr.slice(i, i + 2);
      const text = ['==', '!=', '<=', '>=', '=~', '!~'].includes(two) ? two : c;
      if (!'(){}[],=+-*/%^<>@:'.includes(text[0] as string) && text.length === 1) throw new Error(`PromQL: unexpected "${c}" in ${expr}`);
      tokens.push({ kind: 'punct', text });
      i += text.length;
    }
  }
  return tokens;
}

/** Reads `expr`; throws on anything outside the grammar described above. */
export function promqlReferences(expr: string): PromqlReferences {
  const tokens = tokenize(expr);
  const selectors: SelectorReference[] = [];
  const groupings: GroupingReference[] = [];
  let pos = 0;

  const peek = (offset = 0): Token | undefined => tokens[pos + offset];
  const fail = (what: string): never => {
    throw new Error(`PromQL: ${what} at token ${pos} ("${peek()?.text ?? 'end'}") in ${expr}`);
  };
  const isPunct = (text: string, offset = 0): boolean => peek(offset)?.kind === 'punct' && peek(offset)?.text === text;
  const expectPunct = (text: string): void => {
    if (!isPunct(text)) fail(`expected "${text}"`);
    pos += 1;
  };
  const isIdent = (text: string): boolean => peek()?.kind === 'ident' && peek()?.text === text;

  const labelList = (): string[] => {
    expectPunct('(');
    const labels: string[] = [];
    while (!isPunct(')')) {
      const t = peek();
      if (t?.kind !== 'ident') fail('expected a label name');
      labels.push((t as Token).text);
      pos += 1;
      if (isPunct(',')) pos += 1;
    }
    pos += 1;
    return labels;
  };

  const matchers = (): string[] => {
    expectPunct('{');
    const labels: string[] = [];
    while (!isPunct('}')) {
      const name = peek();
      if (name?.kind !== 'ident') fail('expected a label name in a matcher');
      pos += 1;
      const op = peek();
      if (op?.kind !== 'punct' || !MATCH_OPS.has(op.text)) fail('expected a matcher operator');
      pos += 1;
      if (peek()?.kind !== 'string') fail('expected a string in a matcher');
      pos += 1;
      labels.push((name as Token).text);
      if (isPunct(',')) pos += 1;
    }
    pos += 1;
    return labels;
  };

  /** Skips `[range]`, `[range:step]`, `offset d`, `@ t` after an expression. */
  const postfix = (): void => {
    for (;;) {
      if (isPunct('[')) {
        pos += 1;
        while (!isPunct(']')) {
          const t = peek();
          // Durations, Grafana variables, and the subquery step: ":" then a duration, which the
          // tokenizer reads as one identifier when no space separates them (metric names may
          // start with ":").
          const step = (t?.kind === 'punct' && t.text === ':') || (t?.kind === 'ident' && /^:\d/.test(t.text));
          if (t === undefined || !(t.kind === 'number' || t.kind === 'variable' || step)) fail('expected a duration');
          pos += 1;
        }
        pos += 1;
      } else if (isIdent('offset')) {
        pos += 1;
        if (isPunct('-')) pos += 1;
        if (!(peek()?.kind === 'number' || peek()?.kind === 'variable')) fail('expected a duration after offset');
        pos += 1;
      } else if (isPunct('@')) {
        pos += 1;
        if (peek()?.kind === 'number') pos += 1;
        else if (isIdent('start') || isIdent('end')) pos += 3; // start() / end()
        else fail('expected a time after @');
      } else {
        return;
      }
    }
  };

  const args = (): Set<string> => {
    expectPunct('(');
    const metrics = new Set<string>();
    while (!isPunct(')')) {
      for (const m of expression()) metrics.add(m);
      if (isPunct(',')) pos += 1;
      else if (!isPunct(')')) fail('expected "," or ")"');
    }
    pos += 1;
    return metrics;
  };

  const primary = (): Set<string> => {
    const t = peek();
    if (t === undefined) return fail('unexpected end');
    if (t.kind === 'number' || t.kind === 'string') {
      pos += 1;
      return new Set();
    }
    if (isPunct('(')) {
      pos += 1;
      const inner = expression();
      expectPunct(')');
      return inner;
    }
    if (isPunct('{')) return fail('a selector without a metric name');
    if (t.kind !== 'ident') return fail('unexpected token');
    pos += 1;
    if (AGGREGATIONS.has(t.text)) {
      const clauses: Array<{ clause: 'by' | 'without'; labels: string[] }> = [];
      const clause = (): void => {
        const word = peek()?.text;
        if (peek()?.kind === 'ident' && (word === 'by' || word === 'without')) {
          pos += 1;
          clauses.push({ clause: word, labels: labelList() });
        }
      };
      clause();
      const metrics = args();
      clause();
      for (const c of clauses) groupings.push({ ...c, metrics: [...metrics] });
      return metrics;
    }
    if (isPunct('(')) return args(); // a function call
    const labels = isPunct('{') ? matchers() : [];
    selectors.push({ metric: t.text, labels });
    return new Set([t.text]);
  };

  const unary = (): Set<string> => {
    if (isPunct('-') || isPunct('+')) pos += 1;
    const metrics = primary();
    postfix();
    return metrics;
  };

  function expression(): Set<string> {
    const metrics = unary();
    for (;;) {
      const t = peek();
      const binary = t !== undefined && ((t.kind === 'punct' && BINARY_SYMBOLS.has(t.text)) || (t.kind === 'ident' && BINARY_KEYWORDS.has(t.text)));
      if (!binary) return metrics;
      pos += 1;
      if (isIdent('bool')) pos += 1;
      const matching: Array<{ clause: GroupingReference['clause']; labels: string[] }> = [];
      for (const word of ['on', 'ignoring', 'group_left', 'group_right'] as const) {
        if (!isIdent(word)) continue;
        pos += 1;
        matching.push({ clause: word, labels: isPunct('(') ? labelList() : [] });
      }
      for (const m of unary()) metrics.add(m);
      for (const c of matching) groupings.push({ ...c, metrics: [...metrics] });
    }
  }

  expression();
  if (pos !== tokens.length) fail('trailing tokens');
  return { selectors, groupings };
}
