/** An ES9+ failure with SGP.22's subject and reason codes (§5.6, for example 8.2.6 / 3.8). */
export class Es9Error extends Error {
  constructor(
    readonly subjectCode: string,
    readonly reasonCode: string,
    message: string,
  ) {
    super(message);
  }
}
