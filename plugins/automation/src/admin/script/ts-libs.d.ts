/** Built by vite.admin.config.ts: TypeScript's standard library declarations by virtual path (`/lib.es5.d.ts` → text). */
declare module 'virtual:ts-libs' {
  const files: Record<string, string>;
  export default files;
}
