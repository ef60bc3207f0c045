/**
 * What the benches fill inboxes with: customers' names and the words of their messages, in
 * English and Italian (accents included, for search), drawn from a seeded generator so every run
 * writes the same rows.
 */
export const FIRST_NAMES = ['Giulia', 'Marco', 'Chiara', 'Luca', 'Sofia', 'Matteo', 'Emma', 'Oliver', 'Amelia', 'Noah', 'Francesca', 'Niccolò', 'Zoë', 'André'];
export const LAST_NAMES = ['Rossi', 'Bianchi', 'Esposito', 'Ricci', 'Smith', 'Jones', 'Brown', 'Conti', 'Gallo', 'Fontana', 'Müller', 'Lefèvre'];
export const WORDS = (
  'ordine spedizione pacco rimborso fattura consegna indirizzo perché città caffè però già più ' +
  'order delivery parcel refund invoice address tracking warranty broken replacement thanks today tomorrow ' +
  'store payment receipt cancel change size colour customer service number account password'
).split(' ');

/** A small seeded generator of numbers in [0, 1). */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return state / 2 ** 32;
  };
}
