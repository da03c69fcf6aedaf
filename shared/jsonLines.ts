/**
 * JSON Lines (one JSON value per line, https://jsonlines.org/): how a timeline is exported and
 * read back for a replay, by the bench console and the line console alike.
 */
export function toJsonLines(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join('\n') + '\n';
}

/** The values of a JSON Lines text, blank lines skipped; throws a SyntaxError on a line that is not JSON. */
export function fromJsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
