/**
 * An ITF value checked against a type written in Apalache's syntax (`Int -> { gen: Int }`,
 * `None(UNIT) | Some(Int)`), parsed here from the text — independent of the exporter's own type
 * inference, so a test can hold the export to what its `#meta.varTypes` declares.
 */

/** A parsed type. */
export type Ty =
  | { k: 'Int' | 'Str' | 'Bool' | 'UNIT' | 'var' }
  | { k: 'Seq' | 'Set'; of: Ty }
  | { k: 'Fun'; from: Ty; to: Ty }
  | { k: 'Rec'; fields: Record<string, Ty> }
  | { k: 'Variant'; tags: Record<string, Ty> };

/** Parse a type; throws on anything the grammar does not cover. */
export function parseType(text: string): Ty {
  const tokens = text.match(/->|[A-Za-z_][A-Za-z0-9_]*|[(){}:,|]/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (want?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`type '${text}': expected ${want ?? 'a token'} at token ${i - 1}, got ${t}`);
    return t;
  };
  const atom = (): Ty => {
    const t = take();
    if (t === '(') {
      const inner = fun();
      take(')');
      return inner;
    }
    if (t === '{') {
      const fields: Record<string, Ty> = {};
      while (peek() !== '}') {
        const name = take();
        take(':');
        fields[name] = fun();
        if (peek() === ',') take(',');
      }
      take('}');
      return { k: 'Rec', fields };
    }
    if (t === 'Int' || t === 'Str' || t === 'Bool' || t === 'UNIT') return { k: t };
    if (t === 'Seq' || t === 'Set') {
      take('(');
      const of = fun();
      take(')');
      return { k: t, of };
    }
    if (/^[a-z]/.test(t)) return { k: 'var' };
    take('(');
    const of = fun();
    take(')');
    return { k: 'Variant', tags: { [t]: of } };
  };
  const union = (): Ty => {
    let ty = atom();
    while (peek() === '|') {
      take('|');
      const next = atom();
      if (ty.k !== 'Variant' || next.k !== 'Variant') throw new Error(`type '${text}': '|' joins variants only`);
      ty = { k: 'Variant', tags: { ...ty.tags, ...next.tags } };
    }
    return ty;
  };
  const fun = (): Ty => {
    const from = union();
    if (peek() !== '->') return from;
    take('->');
    return { k: 'Fun', from, to: fun() };
  };
  const ty = fun();
  if (i !== tokens.length) throw new Error(`type '${text}': trailing '${tokens[i]}'`);
  return ty;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Where `value` departs from `ty` (a path and what was found), or undefined when it conforms. */
export function misfit(value: unknown, ty: Ty, path = ''): string | undefined {
  const bad = (what: string): string => `${path || '/'}: ${what}, got ${JSON.stringify(value)?.slice(0, 80)}`;
  switch (ty.k) {
    case 'var':
      return undefined;
    case 'Int':
      return isObj(value) && typeof value['#bigint'] === 'string' && Object.keys(value).length === 1 ? undefined : bad('expected Int');
    case 'Str':
      return typeof value === 'string' ? undefined : bad('expected Str');
    case 'Bool':
      return typeof value === 'boolean' ? undefined : bad('expected Bool');
    case 'UNIT':
      return isObj(value) && Array.isArray(value['#tup']) && value['#tup'].length === 0 ? undefined : bad('expected UNIT');
    case 'Seq':
      if (!Array.isArray(value)) return bad('expected a sequence');
      return value.map((v, i) => misfit(v, ty.of, `${path}/${i}`)).find((m) => m !== undefined);
    case 'Set':
      if (!isObj(value) || !Array.isArray(value['#set'])) return bad('expected a #set');
      return value['#set'].map((v, i) => misfit(v, ty.of, `${path}/#set/${i}`)).find((m) => m !== undefined);
    case 'Fun': {
      if (!isObj(value) || !Array.isArray(value['#map'])) return bad('expected a #map');
      for (const [i, pair] of (value['#map'] as unknown[][]).entries()) {
        const m = misfit(pair[0], ty.from, `${path}/#map/${i}/0`) ?? misfit(pair[1], ty.to, `${path}/#map/${i}/1`);
        if (m !== undefined) return m;
      }
      return undefined;
    }
    case 'Rec': {
      if (!isObj(value)) return bad('expected a record');
      const want = Object.keys(ty.fields).sort().join(',');
      const have = Object.keys(value).sort().join(',');
      if (want !== have) return bad(`expected exactly the fields {${want}}`);
      return Object.keys(ty.fields)
        .map((k) => misfit(value[k], ty.fields[k], `${path}/${k}`))
        .find((m) => m !== undefined);
    }
    case 'Variant': {
      if (!isObj(value) || typeof value.tag !== 'string' || !('value' in value)) return bad('expected a variant');
      const of = ty.tags[value.tag];
      if (of === undefined) return bad(`expected one of the tags ${Object.keys(ty.tags).join(', ')}`);
      return misfit(value.value, of, `${path}/value`);
    }
  }
}
