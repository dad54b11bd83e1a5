/**
 * Arrays made once per length and handed out again. A typed array handed to a Web API (the destination
 * of AudioData.copyTo, the data of an EncodedAudioChunk) gets a Blink wrapper that outlives V8's minor
 * collections until a major one, so a fresh array or view per packet leaves hundreds of thousands of
 * them behind in a long conversion.
 */
export class KeptArrays<T> {
  private readonly byLength = new Map<number, T>();

  /** At most `maxLengths` are kept; one more starts the set afresh. */
  constructor(
    private readonly make: (length: number) => T,
    private readonly maxLengths: number,
  ) {}

  get(length: number): T {
    let array = this.byLength.get(length);
    if (!array) {
      if (this.byLength.size === this.maxLengths) this.byLength.clear();
      array = this.make(length);
      this.byLength.set(length, array);
    }
    return array;
  }
}
