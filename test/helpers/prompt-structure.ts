// What a decider reads as the prompt's structure: the top-level headings outside any fence.
export function promptStructure(text: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const m = line.match(/^(`{3,})/);
    if (fence === null && m) fence = m[1]!;
    else if (fence !== null && line === fence) fence = null;
    else if (fence === null && /^#{1,2} /.test(line)) out.push(line);
  }
  return out;
}
