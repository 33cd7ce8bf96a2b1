// The manual is README.md's manual section (between the markers), so the two never drift.
const START = '<!-- manual:start -->';
const END = '<!-- manual:end -->';

export function manualFrom(markdown: string): string {
  const a = markdown.indexOf(START);
  const b = markdown.indexOf(END);
  const body = a >= 0 && b > a ? markdown.slice(a + START.length, b) : markdown;
  return body.replace(/^\n+/, '').replace(/\n*$/, '\n');
}
