/** noble's entry that takes its HCI bindings from the caller; it ships no typings of its own. */
declare module '@abandonware/noble/with-bindings' {
  const withBindings: (bindings: unknown) => unknown;
  export default withBindings;
}
