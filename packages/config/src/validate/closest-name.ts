/** Longer words are not compared: the distance is O(n*m) and a long key is no typo. */
const MAX_LENGTH = 64;
/** Beyond this many candidates a hint is not worth the time (a config of 10k upstreams). */
const MAX_CANDIDATES = 1000;

/**
 * The candidate closest to `word`, for "did you mean" hints; `undefined` when none is close.
 * Distance is case-insensitive optimal string alignment (Levenshtein plus adjacent swaps, so
 * `prot` is one edit from `port`). "Close" is one edit for words up to five characters and two
 * beyond, so a one-letter name is not "corrected" into an unrelated one. Ties go to the
 * earlier candidate.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_LENGTH) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = (word.length <= 5 ? 1 : 2) + 1;
  let compared = 0;
  for (const candidate of candidates) {
    if (++compared > MAX_CANDIDATES) return undefined;
    if (candidate.length > MAX_LENGTH) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance, keeping three rows. */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous: number[] = [];
  for (let j = 0; j <= b.length; j++) previous.push(j);
  for (let i = 1; i <= a.length; i++) {
    const current: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let distance = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        distance = Math.min(distance, (beforePrevious[j - 2] as number) + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
