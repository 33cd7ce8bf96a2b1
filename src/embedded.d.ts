// Files the bundle embeds as text (esbuild `with { type: 'text' }`): templates and completion scripts.
declare module '*.service' {
  const text: string;
  export default text;
}
declare module '*.timer' {
  const text: string;
  export default text;
}
declare module '*.txt' {
  const text: string;
  export default text;
}
declare module '*.bash' {
  const text: string;
  export default text;
}
declare module '*/_looop' {
  const text: string;
  export default text;
}
declare module '*.md' {
  const text: string;
  export default text;
}
