// seedrandom ships no types and @types/seedrandom is not a dependency; this is the part we use.
declare module 'seedrandom' {
  interface PRNG {
    (): number;
    int32(): number;
    quick(): number;
    double(): number;
  }
  function seedrandom(seed?: string): PRNG;
  export default seedrandom;
}
