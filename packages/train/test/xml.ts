// A small XML well-formedness checker for the SVG tests (no dependency): every tag closes in
// order, attributes are quoted and unique, and `&` only starts a known entity.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function decode(s: string, where: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '<') throw new Error(`xml: raw '<' in ${where}`);
    if (s[i] !== '&') {
      out += s[i];
      continue;
    }
    const m = ENTITY.exec(s.slice(i));
    if (!m) throw new Error(`xml: bad entity in ${where}: ${s.slice(i, i + 12)}`);
    const e = m[1]!;
    out += e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    i += m[0].length - 1;
  }
  return out;
}

/** Parses `xml` into a tree, throwing on the first well-formedness error. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const rootHolder: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [rootHolder];
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('xml: unterminated declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (text.length) {
      const top = stack[stack.length - 1]!;
      if (top === rootHolder) {
        if (text.trim()) throw new Error(`xml: text outside the root element: ${text.trim().slice(0, 20)}`);
      } else top.text += decode(text, `text of <${top.name}>`);
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error('xml: unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new Error(`xml: bad closing tag at ${i}`);
      const top = stack.pop()!;
      if (top.name !== m[0]) throw new Error(`xml: </${m[0]}> closes <${top.name}>`);
      i += 2 + m[0].length;
      while (xml[i] === ' ' || xml[i] === '\n') i++;
      if (xml[i] !== '>') throw new Error(`xml: bad closing tag </${m[0]}>`);
      i++;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`xml: bad tag at ${i}: ${xml.slice(i, i + 20)}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0].length;
      i += ws;
      if (xml.startsWith('/>', i)) {
        i += 2;
        stack[stack.length - 1]!.children.push(el);
        break;
      }
      if (xml[i] === '>') {
        i++;
        stack[stack.length - 1]!.children.push(el);
        stack.push(el);
        break;
      }
      if (ws === 0) throw new Error(`xml: missing space before attribute in <${el.name}>`);
      const a = /^([A-Za-z_:][\w.:-]*)="([^"]*)"/.exec(xml.slice(i));
      if (!a) throw new Error(`xml: bad attribute in <${el.name}>: ${xml.slice(i, i + 30)}`);
      if (a[1]! in el.attrs) throw new Error(`xml: duplicate attribute ${a[1]} in <${el.name}>`);
      el.attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      i += a[0].length;
    }
  }
  if (stack.length !== 1) throw new Error(`xml: unclosed <${stack[stack.length - 1]!.name}>`);
  if (rootHolder.children.length !== 1) throw new Error(`xml: expected one root element, got ${rootHolder.children.length}`);
  return rootHolder.children[0]!;
}

/** Every element below (and including) `el` with the given tag name, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

/** All text content below `el`, element by element. */
export function texts(el: XmlElement): string[] {
  return findAll(el, 'text').map((t) => t.text);
}
