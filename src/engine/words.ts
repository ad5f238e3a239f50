/** Counting words in messages: "1 row", "3 rows", "10,000 accounts". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${count === 1 ? one : many}`;
}
